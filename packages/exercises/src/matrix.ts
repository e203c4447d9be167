import { mlpLayers, type Activation, type LossSpec, type ModelSpec, type OptimizerSpec, type OptimizerType } from "@crossprop/core";

/** An exercise, a model that shows its bug, and the tensor `check` must name first. */
export interface MatrixEntry {
  /** The file in bugs/, without its extension. */
  exercise: string;
  spec: ModelSpec;
  optimizer: OptimizerSpec;
  /** The first tensor, in the order check compares them, that the bug makes wrong. */
  tensor: string;
  /** The config overrides (`--set` values) that give the same model on MNIST, for the CLI matrix. */
  sets: string[];
}

const optimizer = (type: OptimizerType, weightDecay = 0): OptimizerSpec => ({ type, momentum: 0.9, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay });
const mlp = (inputs: number, hidden: number[], outputs: number, activation: Activation, output: Activation, loss: LossSpec): ModelSpec => ({
  inputs, layers: mlpLayers(inputs, hidden, outputs, activation, output), loss, dtype: "float64",
});
const CE: LossSpec = { type: "cross_entropy", reduction: "mean" };

/**
 * Every exercise with the tensor its bug first breaks. Activation bugs show in the hidden layer's
 * dz (where act′ is applied); loss bugs in dlogits (the loss's gradient); notebook 003's in the
 * hidden layer's dz (its backward never runs: the output layer's dL/dh reaches it, nothing more);
 * optimizer bugs in no gradient, only in the updated parameters.
 */
export const MATRIX: MatrixEntry[] = [
  { exercise: "001-relu-backward", spec: mlp(12, [8], 4, "relu", "identity", CE), optimizer: optimizer("sgd"), tensor: "layers.0.dz", sets: [] },
  { exercise: "003-hidden-never-updates", spec: mlp(12, [8], 4, "relu", "identity", CE), optimizer: optimizer("sgd"), tensor: "layers.0.dz", sets: [] },
  { exercise: "relu-mask-forgotten", spec: mlp(12, [8], 4, "relu", "identity", CE), optimizer: optimizer("sgd"), tensor: "layers.0.dz", sets: [] },
  { exercise: "tanh-derivative", spec: mlp(12, [8], 4, "tanh", "identity", CE), optimizer: optimizer("sgd"), tensor: "layers.0.dz", sets: ["model.activation=tanh"] },
  { exercise: "sigmoid-derivative", spec: mlp(12, [8], 4, "sigmoid", "identity", CE), optimizer: optimizer("sgd"), tensor: "layers.0.dz", sets: ["model.activation=sigmoid"] },
  { exercise: "identity-derivative", spec: mlp(12, [8], 4, "identity", "identity", CE), optimizer: optimizer("sgd"), tensor: "dlogits", sets: ["model.activation=identity"] },
  { exercise: "cross-entropy-mean", spec: mlp(12, [8], 4, "relu", "identity", CE), optimizer: optimizer("sgd"), tensor: "dlogits", sets: [] },
  { exercise: "mse-factor-two", spec: mlp(12, [8], 4, "relu", "identity", { type: "mse", reduction: "mean" }), optimizer: optimizer("sgd"), tensor: "dlogits", sets: ["loss.type=mse"] },
  { exercise: "sigmoid-distance-sign", spec: mlp(12, [8], 1, "relu", "identity", { type: "sigmoid_distance", reduction: "mean" }), optimizer: optimizer("sgd"), tensor: "dlogits", sets: ["loss.type=sigmoid_distance", "data.classes=[3, 7]"] },
  { exercise: "bce-sign", spec: mlp(12, [8], 1, "relu", "identity", { type: "bce", reduction: "mean" }), optimizer: optimizer("sgd"), tensor: "dlogits", sets: ["loss.type=bce", "data.classes=[3, 7]"] },
  { exercise: "sgd-bias-not-updated", spec: mlp(12, [8], 4, "relu", "identity", CE), optimizer: optimizer("sgd"), tensor: "layers.0.bias", sets: [] },
  { exercise: "momentum-dampening", spec: mlp(12, [8], 4, "relu", "identity", CE), optimizer: optimizer("momentum"), tensor: "layers.0.weight", sets: ["optimizer.type=momentum", "optimizer.momentum=0.9"] },
  { exercise: "adam-bias-correction", spec: mlp(12, [8], 4, "relu", "identity", CE), optimizer: optimizer("adam"), tensor: "layers.0.weight", sets: ["optimizer.type=adam", "optimizer.lr=0.001"] },
  { exercise: "adamw-as-l2", spec: mlp(12, [8], 4, "relu", "identity", CE), optimizer: optimizer("adamw", 0.01), tensor: "layers.0.weight", sets: ["optimizer.type=adamw", "optimizer.lr=0.001", "optimizer.weight_decay=0.01"] },
];
