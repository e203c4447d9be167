import * as tf from "@tensorflow/tfjs";
import type { LossSpec } from "@crossprop/core";
import type { BatchTargets } from "./batch-tensors.ts";

/**
 * The batch loss as a scalar, from tf ops only so tfjs's autodiff differentiates it. "mean" divides
 * by the batch size (mse: by every element, like torch MSELoss); then times `loss.scale` when given.
 */
export function lossOf(outputs: tf.Tensor2D, targets: BatchTargets, loss: LossSpec): tf.Scalar {
  const terms = lossTerms(outputs, targets, loss);
  const reduced: tf.Scalar = loss.reduction === "mean" ? tf.mean(terms) : tf.sum(terms);
  return loss.scale === undefined || loss.scale === 1 ? reduced : tf.mul(reduced, loss.scale);
}

/** What the reduction sums: one term per row, or per element for mse (formulas: core's LossType). */
function lossTerms(outputs: tf.Tensor2D, targets: BatchTargets, loss: LossSpec): tf.Tensor {
  switch (loss.type) {
    case "cross_entropy":
      // −log_softmax(z)[y]
      return tf.neg(tf.sum(tf.mul(targets.oneHot!, tf.logSoftmax(outputs)), 1));
    case "mse":
      // (z − t)²
      return tf.square(tf.sub(outputs, targets.dense!));
    case "sigmoid_distance":
      // y = 1 ? 1 − σ(z) : σ(z), taken as σ((1 − 2y)·z): σ(−z) keeps the digits 1 − σ(z) loses where σ(z) ≈ 1.
      return tf.sigmoid(tf.mul(tf.sub(1, tf.mul(2, targets.binary!)), outputs));
    case "bce":
      // tfjs's own max(z, 0) − z·y + log1p(exp(−|z|)) (relu, abs, log1p: its gradient at z = 0 is σ(0) − y).
      return tf.losses.sigmoidCrossEntropy(targets.binary!, outputs, undefined, 0, tf.Reduction.NONE);
  }
}
