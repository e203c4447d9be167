import { add, sub } from "./arithmetic.ts";
import { max, sum } from "./reduce.ts";
import type { Tensor } from "./tensor.ts";
import { exp, log } from "./unary.ts";

/**
 * log Σ_c exp(x[:, c]) along the class axis, kept as a column [n, 1]:
 * logsumexp(x) = m + log(Σ exp(x - m)), m = max over the class axis (so no exp overflows).
 *
 * m is detached (a constant). That changes no gradient: with s = softmax(x),
 * d/dx_j [m + log Σ exp(x - m)] = dm/dx_j + s_j - (Σ_c s_c)·dm/dx_j = s_j, whatever dm/dx is —
 * PyTorch's undetached `x.max(-1)[0]` adds +1 and -1 at the argmax that cancel, up to rounding.
 */
export function logSumExp(x: Tensor): Tensor {
  const shift = max(x, -1, true).detach();
  return add(shift, log(sum(exp(sub(x, shift)), -1, true)));
}

/** log softmax(x) = x - logsumexp(x), along the class axis. */
export function logSoftmax(x: Tensor): Tensor {
  return sub(x, logSumExp(x));
}
