import * as tf from "@tensorflow/tfjs";
import { UserError, type Activation, type LayerSpec, type LossSpec } from "@crossprop/core";
import type { BatchTargets } from "./batch-tensors.ts";

/** One dense layer's trainable state; weight is [inputs, outputs] row-major, as in the ParamList. */
export interface DenseVariables {
  weight: tf.Variable;
  bias: tf.Variable;
}

/** The output layer's values: every layer computes activation(inputs · weight + bias). */
export function forward(inputs: tf.Tensor2D, layers: readonly LayerSpec[], variables: readonly DenseVariables[]): tf.Tensor2D {
  let values = inputs;
  layers.forEach((layer, i) => {
    const { weight, bias } = variables[i]!;
    // x·W with W as stored: no transpose flag, so the forward runs the fast untransposed kernel.
    values = activate(tf.add(tf.matMul(values, weight), bias), layer.activation);
  });
  return values;
}

function activate(z: tf.Tensor2D, activation: Activation): tf.Tensor2D {
  switch (activation) {
    case "relu":
      return tf.relu(z);
    case "tanh":
      return tf.tanh(z);
    case "sigmoid":
      return tf.sigmoid(z);
    case "identity":
      return z;
  }
}

/**
 * The batch loss as a scalar, from tf ops only so autodiff differentiates it.
 * cross_entropy: -Σ log_softmax(logits)[label]; mse: Σ (outputs - targets)²;
 * "mean" divides by the batch size (cross_entropy) or by every element (mse, like torch MSELoss);
 * then times `loss.scale` when given.
 */
export function lossOf(outputs: tf.Tensor2D, targets: BatchTargets, loss: LossSpec): tf.Scalar {
  const reduced = reducedLoss(outputs, targets, loss);
  return loss.scale === undefined || loss.scale === 1 ? reduced : tf.mul(reduced, loss.scale);
}

function reducedLoss(outputs: tf.Tensor2D, targets: BatchTargets, loss: LossSpec): tf.Scalar {
  if (loss.type === "cross_entropy") {
    const perRow = tf.neg(tf.sum(tf.mul(targets.oneHot!, tf.logSoftmax(outputs)), 1));
    return loss.reduction === "mean" ? tf.mean(perRow) : tf.sum(perRow);
  }
  if (loss.type === "mse") {
    const squares = tf.square(tf.sub(outputs, targets.dense!));
    return loss.reduction === "mean" ? tf.mean(squares) : tf.sum(squares);
  }
  throw new UserError(`backend tfjs does not support loss ${loss.type} yet`, 2, "loss.type");
}
