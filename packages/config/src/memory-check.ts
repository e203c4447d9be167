import { defaultMemoryLimitBytes, describeEstimate, estimateMemory, formatBytes, MAX_TYPED_ARRAY_ELEMENTS, EVALUATION_ROWS, type MemoryShape } from "@crossprop/core";
import { totalmem } from "node:os";
import type { Config } from "./schema/index.ts";

/** How much memory one run may take, and where that figure came from (for the message). */
export interface MemoryLimit {
  bytes: number;
  /** e.g. "75% of this machine's 25.3 GB" or "CROSSPROP_MEMORY_LIMIT_MB=4000". */
  source: string;
}

export function defaultMemoryLimit(): MemoryLimit {
  return { bytes: defaultMemoryLimitBytes(), source: `75% of this machine's ${formatBytes(totalmem())}` };
}

/** The wasm engines' shared memory: 32768 pages of 64 KiB (MAXIMUM_PAGES in packages/kernels/src/loader.ts). */
export const WASM_ENGINE_BYTES = 2 ** 31;

/** The packaged image sets: 60,000 training and 10,000 test images of 28×28 bytes. */
const IMAGE_SETS = { train: 60_000, test: 10_000, features: 784 };

/**
 * The shape of the run a config describes, as far as the config alone tells: for dataset idx the
 * files are not read here, so one feature and no stored examples stand in (a floor; the IDX reader
 * bounds the data by the files' own sizes).
 */
export function memoryShape(config: Config): MemoryShape {
  const { data } = config;
  const synthetic = data.dataset === "synthetic-linear";
  const images = data.dataset === "mnist" || data.dataset === "fashion-mnist";
  const features = synthetic ? data.synthetic.weights.length : images ? IMAGE_SETS.features : 1;
  const [trainFile, testFile] = synthetic ? [data.synthetic.train_samples, data.synthetic.valid_samples] : images ? [IMAGE_SETS.train, IMAGE_SETS.test] : [0, 0];
  const pooled = !synthetic && data.split === "pooled";
  const held = pooled ? Math.round((trainFile + testFile) * data.valid_fraction) : testFile;
  const train = Math.min(data.train_size ?? Infinity, pooled ? trainFile + testFile - held : trainFile);
  const valid = Math.min(data.test_size ?? Infinity, held);
  const binary = config.loss.type === "bce" || config.loss.type === "sigmoid_distance";
  const outputs = synthetic || binary ? 1 : (data.classes?.length ?? 10);
  const batch = config.training.batch_size;
  const known = train > 0 ? train : typeof batch === "number" ? batch : 1;
  return {
    widths: [features, ...config.model.hidden, outputs],
    dtype: config.dtype,
    optimizer: config.optimizer.type,
    batchSize: batch === "full" ? known : Math.min(batch, known),
    evalRows: Math.min(EVALUATION_ROWS, Math.max(valid, 1)),
    data: { examples: trainFile + testFile, features, bytesPerValue: synthetic ? 4 : 1, targetsPerExample: 1 },
  };
}

/** The key a user would change to shrink the run: the widest hidden layer, the batch, or the generated data. */
function culprit(config: Config, part: "model" | "batch" | "data", layer = -1): string {
  const { hidden } = config.model;
  if (part === "data" && config.data.dataset === "synthetic-linear") {
    const { train_samples, valid_samples } = config.data.synthetic;
    return train_samples >= valid_samples ? "data.synthetic.train_samples" : "data.synthetic.valid_samples";
  }
  if (part === "batch") return "training.batch_size";
  if (hidden.length === 0) return "model.hidden";
  const index = layer >= 0 ? Math.min(layer, hidden.length - 1) : hidden.indexOf(Math.max(...hidden));
  return `model.hidden[${index}]`;
}

const count = (n: number) => (n < 1e15 ? n.toLocaleString("en-US") : n.toExponential(2));

/**
 * The run must fit: no single array beyond what a typed array can hold, and the estimated total
 * (parameters, gradients, optimizer state, snapshots, activations, data) within the memory limit.
 */
export function memoryIssues(config: Config, limit: MemoryLimit | null): { path: string; message: string }[] {
  const shape = memoryShape(config);
  const estimate = estimateMemory(shape);
  const { elements, what } = estimate.largestArray;
  if (elements > MAX_TYPED_ARRAY_ELEMENTS) {
    const cap = `a typed array holds at most ${count(MAX_TYPED_ARRAY_ELEMENTS)}`;
    if (what.kind === "data") {
      const message = `${count(shape.data.examples)} examples × ${shape.data.features} features are ${count(elements)} values; ${cap}`;
      return [{ path: culprit(config, "data"), message }];
    }
    const inputs = shape.widths[what.layer]!;
    const outputs = shape.widths[what.layer + 1]!;
    const array =
      what.kind === "weights"
        ? `a ${count(inputs)} × ${count(outputs)} weight matrix`
        : `${what.kind === "batch" ? "a batch" : "an evaluation chunk"} of ${count(what.kind === "batch" ? shape.batchSize : shape.evalRows)} rows × ${count(outputs)} units`;
    return [{ path: culprit(config, what.kind === "batch" ? "batch" : "model", what.layer), message: `${array} has ${count(elements)} elements; ${cap}` }];
  }
  if (limit !== null && estimate.total > limit.bytes) {
    const model = estimate.parameters + estimate.gradients + estimate.optimizerState + estimate.snapshots + estimate.evaluation;
    const part = estimate.data >= model && estimate.data >= estimate.activations ? "data" : estimate.activations > model ? "batch" : "model";
    const message = `the run needs about ${formatBytes(estimate.total)} (${describeEstimate(estimate)}), more than the memory limit of ${formatBytes(limit.bytes)} (${limit.source})`;
    return [{ path: culprit(config, part), message }];
  }
  const engine = ((config as Record<string, unknown>)[config.backend] as { engine?: string } | undefined)?.engine;
  if (config.dtype === "float32" && engine === "wasm" && estimate.engineMemory > WASM_ENGINE_BYTES) {
    const message = `on the wasm engine the parameters, gradients and activations need about ${formatBytes(estimate.engineMemory)} of its memory, more than the ${formatBytes(WASM_ENGINE_BYTES)} (2 GiB) it has; use a smaller model or set ${config.backend}.engine: typescript`;
    return [{ path: culprit(config, estimate.activations > 2 * estimate.parameters ? "batch" : "model"), message }];
  }
  return [];
}
