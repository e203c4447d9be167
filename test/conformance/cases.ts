import { allocFloat, mlpLayers, Rng, type Activation, type Batch, type DType, type ModelInit, type ModelSpec, type Reduction } from "@crossprop/core";

/** Where a case's inputs come from: seeded normal draws, or pixel-like values with many exact zeros. */
export type DataKind = "gaussian" | "pixels";

export interface ConformanceCase {
  name: string;
  spec: ModelSpec;
  init: ModelInit;
  data: DataKind;
  /** Rows of the full batches, and of the partial batch that follows them. */
  batchSize: number;
  partialSize: number;
  lr: number;
}

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
  });
  return cases;
}

/**
 * `count` seeded batches of `size` rows (fresh arrays, one per batch). Pixels: 80% exact zeros, the
 * rest k/255 for k in 1..255, like scaled MNIST bytes. Labels uniform; mse targets one-hot for
 * pixels (as core's one-hot encoding), uniform in [0, 1) for gaussian data.
 */
export function makeBatch(spec: ModelSpec, data: DataKind, size: number, seed: number): Batch {
  const rng = new Rng(seed, `conformance:${data}`);
  const inputs = allocFloat(spec.dtype, size * spec.inputs);
  for (let i = 0; i < inputs.length; i++) {
    inputs[i] = data === "gaussian" ? rng.normal() : rng.uniform() < 0.8 ? 0 : (1 + rng.int(255)) / 255;
  }
  const labels = Int32Array.from({ length: size }, () => rng.int(CLASSES));
  const targets = allocFloat(spec.dtype, size * CLASSES);
  for (let i = 0; i < size; i++) {
    for (let c = 0; c < CLASSES; c++) targets[i * CLASSES + c] = data === "pixels" ? Number(labels[i] === c) : rng.uniform();
  }
  return { size, inputs, labels, targets: spec.loss.type === "mse" ? targets : null };
}

/** The first `size` rows of a batch, as exact-length views (what core's BatchMaker hands out). */
export function firstRows(batch: Batch, size: number): Batch {
  const features = batch.inputs.length / batch.size;
  const width = batch.targets === null ? 0 : batch.targets.length / batch.size;
  return {
    size,
    inputs: batch.inputs.subarray(0, size * features),
    labels: batch.labels?.subarray(0, size) ?? null,
    targets: batch.targets?.subarray(0, size * width) ?? null,
  };
}
