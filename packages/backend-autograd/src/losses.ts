import { UserError, type Reduction } from "@crossprop/core";
import { relu, sigmoid } from "./activations.ts";
import { add, mul, neg, square, sub } from "./arithmetic.ts";
import { allocBuffer } from "./buffer-pool.ts";
import { logSoftmax } from "./log-softmax.ts";
import { pick } from "./pick.ts";
import { mean, sum } from "./reduce.ts";
import { Tensor } from "./tensor.ts";
import { exp, log1p } from "./unary.ts";

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

/**
 * Notebook 004's sigmoid distance, `torch.where(y == 1, 1 - σ(z), σ(z))` per row, for one logit
 * column z [n, 1] and 0/1 labels. Composed as y + (1 - 2y)·σ(z): with y ∈ {0, 1} that is 1 - σ(z)
 * or σ(z) to the last bit (a sign flip and an exact add), so no select op is needed.
 */
export function sigmoidDistance(logits: Tensor, labels: Int32Array, reduction: Reduction): Tensor {
  const targets = binaryTargets(logits, labels, "sigmoid_distance");
  const signs = sub(1, mul(targets, 2)); // +1 where y = 0, -1 where y = 1 (a constant)
  return reduce(add(targets, mul(signs, sigmoid(logits))), reduction);
}

/**
 * Binary cross entropy from one logit column z [n, 1] and 0/1 labels y, in the stable form
 * max(z, 0) - z·y + log1p(e^-|z|) = -[y·log σ(z) + (1 - y)·log(1 - σ(z))], no exp overflow.
 * -|z| is written z - 2·max(z, 0): at z = 0 relu's subgradient 0 then gives the true derivative
 * σ(0) - y = 0.5 - y, where abs with sign(0) = 0 would give -y.
 */
export function bce(logits: Tensor, labels: Int32Array, reduction: Reduction): Tensor {
  const targets = binaryTargets(logits, labels, "bce");
  const positivePart = relu(logits);
  const minusAbs = sub(logits, mul(positivePart, 2));
  return reduce(add(sub(positivePart, mul(logits, targets)), log1p(exp(minusAbs))), reduction);
}

/** The labels as a constant column [n, 1] of 0s and 1s; any other label is a UserError. */
function binaryTargets(logits: Tensor, labels: Int32Array, loss: string): Tensor {
  if (logits.shape.length !== 2 || logits.shape[1] !== 1) {
    throw new Error(`${loss} needs one logit column [rows, 1], got shape [${logits.shape.join(", ")}]`);
  }
  const rows = logits.shape[0]!;
  if (labels.length < rows) throw new Error(`${loss}: ${labels.length} labels for ${rows} rows`);
  const values = allocBuffer(logits.dtype, rows);
  for (let i = 0; i < rows; i++) {
    const label = labels[i]!;
    if (label !== 0 && label !== 1) throw new UserError(`loss ${loss} needs labels 0 or 1, got ${label} (row ${i})`);
    values[i] = label;
  }
  return new Tensor(values, [rows, 1]);
}
