import type { Reduction } from "@crossprop/core";
import { neg, square, sub } from "./arithmetic.ts";
import { logSoftmax } from "./log-softmax.ts";
import { pick } from "./pick.ts";
import { mean, sum } from "./reduce.ts";
import type { Tensor } from "./tensor.ts";

function reduce(values: Tensor, reduction: Reduction): Tensor {
  return reduction === "mean" ? mean(values) : sum(values);
}

/** Negative log-likelihood: -mean_i logProbs[i, labels[i]] (reduction "sum": -Σ_i). */
export function nll(logProbs: Tensor, labels: Int32Array, reduction: Reduction): Tensor {
  return neg(reduce(pick(logProbs, labels), reduction));
}

/** Cross entropy from logits: nll(log_softmax(logits), labels), as notebook 000 composes it. */
export function crossEntropy(logits: Tensor, labels: Int32Array, reduction: Reduction): Tensor {
  return nll(logSoftmax(logits), labels, reduction);
}

/** Squared error: mean over every element of (outputs - targets)² (like torch.nn.MSELoss), or the sum. */
export function mse(outputs: Tensor, targets: Tensor, reduction: Reduction): Tensor {
  return reduce(square(sub(outputs, targets)), reduction);
}
