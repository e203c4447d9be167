import {
  allocFloat,
  mlpLayers,
  Rng,
  type Activation,
  type Batch,
  type DType,
  type LossSpec,
  type ModelInit,
  type ModelSpec,
  type OptimizerSpec,
  type Reduction,
} from "@crossprop/core";

/**
 * Where a case's inputs come from: seeded normal draws, or pixel-like values with many exact zeros;
 * "regression": normal draws with targets from a fixed linear map plus noise, and no labels.
 */
export type DataKind = "gaussian" | "pixels" | "regression";

export interface ConformanceCase {
  name: string;
  spec: ModelSpec;
  init: ModelInit;
  data: DataKind;
  /** Rows of the full batches, and of the partial batch that follows them. */
  batchSize: number;
  partialSize: number;
  lr: number;
  optimizer: OptimizerSpec;
  /** trainSteps in a row, from the same parameters, before the partial batch. */
  trainSteps: number;
}

export const SGD: OptimizerSpec = { type: "sgd", momentum: 0, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0 };
const TRAIN_STEPS = 3;

const CLASSES = 10;
const ACTIVATIONS: Activation[] = ["relu", "tanh", "sigmoid", "identity"];
const ARCHITECTURES: [string, number[]][] = [
  ["linear", []],
  ["depth 1", [16]],
  ["depth 2", [16, 12]],
];

/** Notebook 000's init for pixels (normal, std 1, weights and biases); kaiming + small biases otherwise. */
function initFor(data: DataKind): ModelInit {
  const base = { std: 1, limit: 0.1, gain: null, distribution: "normal" as const };
  if (data === "pixels") return { weights: { ...base, type: "normal" }, biases: { ...base, type: "normal" } };
  return { weights: { ...base, type: "kaiming" }, biases: { ...base, type: "uniform" } };
}

/**
 * Small enough that no case diverges over the few steps taken (the deep identity nets from the std-1
 * init have outputs ~30). "sum" takes the "mean" step divided by what the mean divides by: the rows
 * (cross entropy) or every element (mse).
 */
function learningRate(loss: "cross_entropy" | "mse", reduction: Reduction, batchSize: number): number {
  if (loss === "cross_entropy") return reduction === "mean" ? 0.1 : 0.1 / batchSize;
  return reduction === "mean" ? 0.003 : 0.003 / (batchSize * CLASSES);
}

/**
 * Linear models and MLPs of depth 1 and 2; each activation (hidden layers for cross entropy, whose
 * output layer gives logits; every layer for mse); both losses and reductions; both data kinds.
 * Plus an MNIST-shaped model (784 pixels → 32 relu → 10), where sums run over hundreds of terms.
 */
export function conformanceCases(dtype: DType): ConformanceCase[] {
  const cases: ConformanceCase[] = [];
  for (const data of ["gaussian", "pixels"] as DataKind[]) {
    const inputs = data === "pixels" ? 64 : 20;
    for (const [architecture, hidden] of ARCHITECTURES) {
      for (const loss of ["cross_entropy", "mse"] as const) {
        // A linear cross-entropy model has no activation to vary: its one layer gives logits.
        const activations = loss === "cross_entropy" && hidden.length === 0 ? ["identity" as const] : ACTIVATIONS;
        for (const activation of activations) {
          for (const reduction of ["mean", "sum"] as Reduction[]) {
            const output = loss === "cross_entropy" ? "identity" : activation;
            cases.push({
              name: `${dtype} ${data} ${architecture} ${activation} ${loss}/${reduction}`,
              spec: { inputs, layers: mlpLayers(inputs, hidden, CLASSES, activation, output), loss: { type: loss, reduction }, dtype },
              init: initFor(data),
              data,
              batchSize: 16,
              partialSize: 5,
              lr: learningRate(loss, reduction, 16),
              optimizer: SGD,
              trainSteps: TRAIN_STEPS,
            });
          }
        }
      }
    }
  }
  cases.push({
    name: `${dtype} pixels mnist-shaped 784→32 relu cross_entropy/mean`,
    spec: { inputs: 784, layers: mlpLayers(784, [32], CLASSES, "relu", "identity"), loss: { type: "cross_entropy", reduction: "mean" }, dtype },
    init: initFor("pixels"),
    data: "pixels",
    batchSize: 64,
    partialSize: 23,
    lr: 1,
    optimizer: SGD,
    trainSteps: TRAIN_STEPS,
  });
  return [...cases, ...binaryLossCases(dtype), ...regressionCases(dtype), ...optimizerCases(dtype)];
}

/** A case on batches of 16 rows and a partial batch of 5. */
function smallCase(name: string, spec: ModelSpec, data: DataKind, lr: number, optimizer = SGD, trainSteps = TRAIN_STEPS): ConformanceCase {
  return { name, spec, init: initFor(data), data, batchSize: 16, partialSize: 5, lr, optimizer, trainSteps };
}

/** sigmoid_distance and bce: one logit per row against 0/1 labels, linear and MLPs, both reductions, scale 0.5. */
function binaryLossCases(dtype: DType): ConformanceCase[] {
  const cases: ConformanceCase[] = [];
  const architectures: [string, number[], Activation][] = [
    ["linear", [], "identity"],
    ["depth 1 relu", [16], "relu"],
    ["depth 2 tanh", [16, 12], "tanh"],
  ];
  for (const type of ["sigmoid_distance", "bce"] as const) {
    for (const [architecture, hidden, activation] of architectures) {
      for (const reduction of ["mean", "sum"] as Reduction[]) {
        const spec = { inputs: 20, layers: mlpLayers(20, hidden, 1, activation, "identity"), loss: { type, reduction }, dtype };
        cases.push(smallCase(`${dtype} gaussian ${architecture} → 1 ${type}/${reduction}`, spec, "gaussian", reduction === "mean" ? 0.5 : 0.5 / 16));
      }
    }
    const scaled: LossSpec = { type, reduction: "mean", scale: 0.5 };
    const spec = { inputs: 64, layers: mlpLayers(64, [16], 1, "relu", "identity"), loss: scaled, dtype };
    cases.push(smallCase(`${dtype} pixels depth 1 relu → 1 ${type}/mean scale 0.5`, spec, "pixels", 0.5));
  }
  return cases;
}

/** mse on regression targets of width 1: notebook 001's linear regression 3 → 1 (½·Σ: sum, scale 0.5), and an MLP. */
function regressionCases(dtype: DType): ConformanceCase[] {
  const linear = (loss: LossSpec) => ({ inputs: 3, layers: mlpLayers(3, [], 1, "identity", "identity"), loss, dtype });
  const mlp = { inputs: 3, layers: mlpLayers(3, [8], 1, "tanh", "identity"), loss: { type: "mse" as const, reduction: "mean" as const }, dtype };
  const crossEntropy = { inputs: 20, layers: mlpLayers(20, [16], CLASSES, "relu", "identity"), loss: { type: "cross_entropy" as const, reduction: "mean" as const, scale: 0.5 }, dtype };
  return [
    smallCase(`${dtype} regression linear 3 → 1 mse/mean`, linear({ type: "mse", reduction: "mean" }), "regression", 0.05),
    smallCase(`${dtype} regression linear 3 → 1 mse/sum`, linear({ type: "mse", reduction: "sum" }), "regression", 0.05 / 16),
    smallCase(`${dtype} regression linear 3 → 1 mse/sum scale 0.5 (notebook 001)`, linear({ type: "mse", reduction: "sum", scale: 0.5 }), "regression", 0.1 / 16),
    smallCase(`${dtype} regression depth 1 tanh 3 → 1 mse/mean`, mlp, "regression", 0.05),
    smallCase(`${dtype} gaussian depth 1 relu cross_entropy/mean scale 0.5`, crossEntropy, "gaussian", 0.2),
  ];
}

/**
 * Several steps with each optimizer, weight decay 0.01 (sgd's too: it must honour it). Adam's step is
 * about lr per element whatever the gradient's size, so a gradient element's relative rounding
 * becomes a parameter difference of lr times it. At lr 0.03 the pixel MLP's trainStep losses on
 * tfjs drift 1.1e-5 from manual's (its tolerance: 1e-5); lr 1e-3, Adam's usual, keeps a wide margin.
 */
function optimizerCases(dtype: DType): ConformanceCase[] {
  const optimizers: [OptimizerSpec, number][] = [
    [{ ...SGD, weightDecay: 0.01 }, 0.1],
    [{ ...SGD, type: "momentum", momentum: 0.9, weightDecay: 0.01 }, 0.05],
    [{ ...SGD, type: "adam", weightDecay: 0.01 }, 1e-3],
    [{ ...SGD, type: "adamw", weightDecay: 0.01 }, 1e-3],
  ];
  const cases: ConformanceCase[] = [];
  const steps = 6;
  const named = (optimizer: OptimizerSpec, lr: number) => `${optimizer.type} weightDecay ${optimizer.weightDecay}, ${steps} steps at lr ${lr}`;
  for (const [optimizer, lr] of optimizers) {
    const tanh = { inputs: 20, layers: mlpLayers(20, [16], CLASSES, "tanh", "identity"), loss: { type: "cross_entropy" as const, reduction: "mean" as const }, dtype };
    cases.push(smallCase(`${dtype} gaussian depth 1 tanh cross_entropy/mean, ${named(optimizer, lr)}`, tanh, "gaussian", lr, optimizer, steps));
    // The std-1 pixel init gives outputs ~30: sgd and momentum take a tenth of the step.
    const pixelLr = optimizer.type.startsWith("adam") ? lr : lr / 10;
    const relu = { inputs: 64, layers: mlpLayers(64, [16, 12], CLASSES, "relu", "identity"), loss: { type: "mse" as const, reduction: "mean" as const }, dtype };
    cases.push(smallCase(`${dtype} pixels depth 2 relu mse/mean, ${named(optimizer, pixelLr)}`, relu, "pixels", pixelLr, optimizer, steps));
  }
  const binary = { inputs: 20, layers: mlpLayers(20, [16], 1, "tanh", "identity"), loss: { type: "bce" as const, reduction: "mean" as const }, dtype };
  const adamw: OptimizerSpec = { ...SGD, type: "adamw", weightDecay: 0.01 };
  cases.push(smallCase(`${dtype} gaussian depth 1 tanh → 1 bce/mean, ${named(adamw, 1e-3)}`, binary, "gaussian", 1e-3, adamw, steps));
  return cases;
}

/**
 * `count` seeded batches of `size` rows (fresh arrays, one per batch). Pixels: 80% exact zeros, the
 * rest k/255 for k in 1..255, like scaled MNIST bytes. Labels uniform over the outputs (0/1 for the
 * one-logit losses); mse targets one-hot for pixels (as core's one-hot encoding), uniform in [0, 1)
 * for gaussian data; regression: targets Σ_j w_j·x_j + 0.3 + noise, no labels (as core's values).
 */
export function makeBatch(spec: ModelSpec, data: DataKind, size: number, seed: number): Batch {
  const rng = new Rng(seed, `conformance:${data}`);
  const width = spec.layers[spec.layers.length - 1]!.outputs;
  const inputs = allocFloat(spec.dtype, size * spec.inputs);
  // Pixels come as core's batches bring them: bytes and their scale, and the same values as floats.
  const bytes = new Uint8Array(data === "pixels" ? inputs.length : 0);
  for (let i = 0; i < inputs.length; i++) {
    if (data === "pixels") bytes[i] = rng.uniform() < 0.8 ? 0 : 1 + rng.int(255);
    inputs[i] = data === "pixels" ? bytes[i]! / 255 : rng.normal();
  }
  const pixels = data === "pixels" ? { pixels: { bytes, scale: allocFloat(spec.dtype, 256).map((_, v) => v / 255) } } : {};
  const targets = allocFloat(spec.dtype, size * width);
  if (data === "regression") {
    for (let i = 0; i < size * width; i++) {
      let value = 0.3 + 0.1 * rng.normal();
      for (let j = 0; j < spec.inputs; j++) value += REGRESSION_WEIGHTS[j % REGRESSION_WEIGHTS.length]! * inputs[Math.floor(i / width) * spec.inputs + j]!;
      targets[i] = value;
    }
    return { size, inputs, labels: null, targets };
  }
  const binary = spec.loss.type === "sigmoid_distance" || spec.loss.type === "bce";
  const labels = Int32Array.from({ length: size }, () => rng.int(binary ? 2 : width));
  for (let i = 0; i < size; i++) {
    for (let c = 0; c < width; c++) targets[i * width + c] = data === "pixels" ? Number(labels[i] === c) : rng.uniform();
  }
  return { size, inputs, ...pixels, labels, targets: spec.loss.type === "mse" ? targets : null };
}

/** The regression targets' weights (notebook 001 fits a plane to 3 inputs). */
const REGRESSION_WEIGHTS = [2, -1, 0.5];

/** The first `size` rows of a batch, as exact-length views (what core's BatchMaker hands out). */
export function firstRows(batch: Batch, size: number): Batch {
  const features = batch.inputs.length / batch.size;
  const width = batch.targets === null ? 0 : batch.targets.length / batch.size;
  return {
    size,
    inputs: batch.inputs.subarray(0, size * features),
    ...(batch.pixels ? { pixels: { bytes: batch.pixels.bytes.subarray(0, size * features), scale: batch.pixels.scale } } : {}),
    labels: batch.labels?.subarray(0, size) ?? null,
    targets: batch.targets?.subarray(0, size * width) ?? null,
  };
}
