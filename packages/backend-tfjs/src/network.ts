import * as tf from "@tensorflow/tfjs";
import type { Activation, LayerSpec } from "@crossprop/core";

/** One dense layer's trainable state; weight is [inputs, outputs] row-major, as in the ParamList. */
export interface DenseVariables {
  weight: tf.Variable;
  bias: tf.Variable;
}

/** The output layer's values: every layer computes activation(inputs · weight + bias). */
export function forward(inputs: tf.Tensor2D, layers: readonly LayerSpec[], variables: readonly DenseVariables[]): tf.Tensor2D {
  return forwardFrom(0, inputs, layers, variables);
}

/** The output layer's values when layer `first`'s inputs are `inputs` (the layers before it skipped). */
export function forwardFrom(first: number, inputs: tf.Tensor2D, layers: readonly LayerSpec[], variables: readonly DenseVariables[]): tf.Tensor2D {
  let values = inputs;
  for (let i = first; i < layers.length; i++) {
    const { weight, bias } = variables[i]!;
    // x·W with W as stored: no transpose flag, so the forward runs the fast untransposed kernel.
    values = activate(tf.add(tf.matMul(values, weight), bias), layers[i]!.activation);
  }
  return values;
}

export function activate(z: tf.Tensor2D, activation: Activation): tf.Tensor2D {
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
