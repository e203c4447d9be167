import { constants } from "node:buffer";
import { totalmem } from "node:os";
import type { DType, OptimizerType } from "./model-spec.ts";
import { EVALUATION_ROWS } from "./metrics.ts";

/**
 * How much memory a run needs, estimated from its shape before anything is allocated, so a model
 * or a data set that cannot fit is refused with numbers instead of a RangeError (or swap) later.
 * Calibrated on the manual and autograd backends (peak RSS within ~15% above a 180 MB base); tfjs
 * keeps extra tensor copies, so for it this is a floor.
 */
export interface MemoryShape {
  /** Layer widths from the inputs to the outputs: [features, ...hidden, outputs]. */
  widths: readonly number[];
  dtype: DType;
  optimizer: OptimizerType;
  /** Examples per training step. */
  batchSize: number;
  /** Examples predicted at once when evaluating (the backends' predict chunk, or fewer). */
  evalRows: number;
  /** Every example held in memory (train and test files, or generated), and how each is stored. */
  data: { examples: number; features: number; bytesPerValue: number; targetsPerExample: number };
}

export interface MemoryEstimate {
  parameters: number;
  gradients: number;
  optimizerState: number;
  /** Parameter-sized copies outside the model: the initial values, the final read-back, and each one's safetensors encoding. */
  snapshots: number;
  /** Per layer, at the batch size: pre-activations, activations and the gradients of both, plus the dense input batch. */
  activations: number;
  /** The same buffers at the predict chunk, and the dense inputs of an evaluation chunk. */
  evaluation: number;
  data: number;
  total: number;
  /** What the wasm engines keep in their own memory: parameters, gradients, the batch's and a predict chunk's buffers (float32). */
  engineMemory: number;
  /** The biggest single array, in elements, and what it is: typed arrays hold at most MAX_TYPED_ARRAY_ELEMENTS. */
  largestArray: { elements: number; what: LargestArray };
}

export type LargestArray = { kind: "weights"; layer: number } | { kind: "batch"; layer: number } | { kind: "evaluation"; layer: number } | { kind: "data" };

/** The most elements a typed array (or Buffer) can hold in this Node. */
export const MAX_TYPED_ARRAY_ELEMENTS: number = constants.MAX_LENGTH;


/** By default a run may use this fraction of the machine's memory, leaving the rest to the system. */
export const DEFAULT_MEMORY_FRACTION = 0.75;

export function defaultMemoryLimitBytes(): number {
  return Math.floor(totalmem() * DEFAULT_MEMORY_FRACTION);
}

const DTYPE_BYTES: Record<DType, number> = { float32: 4, float64: 8 };

/** Parameter-sized optimizer buffers: momentum's velocity, adam's two moments. */
const OPTIMIZER_SLOTS: Record<OptimizerType, number> = { sgd: 0, momentum: 1, adam: 2, adamw: 2 };

/** Initial values (kept for the whole run), final read-back, and the two safetensors encodings. */
const SNAPSHOT_COPIES = 4;

/** z, f(z), dL/dz and dL/df(z) per layer and row. */
const BUFFERS_PER_LAYER_ROW = 4;

export function estimateMemory(shape: MemoryShape): MemoryEstimate {
  const bytes = DTYPE_BYTES[shape.dtype];
  const { widths, batchSize, evalRows, data } = shape;
  let parameterCount = 0;
  let rowWidths = 0;
  let largestArray: MemoryEstimate["largestArray"] = { elements: data.examples * data.features, what: { kind: "data" } };
  const consider = (elements: number, what: LargestArray) => {
    if (elements > largestArray.elements) largestArray = { elements, what };
  };
  for (let layer = 0; layer + 1 < widths.length; layer++) {
    const inputs = widths[layer]!;
    const outputs = widths[layer + 1]!;
    parameterCount += inputs * outputs + outputs;
    rowWidths += outputs;
    consider(inputs * outputs, { kind: "weights", layer });
    consider(batchSize * outputs, { kind: "batch", layer });
    consider(evalRows * outputs, { kind: "evaluation", layer });
  }
  const parameters = parameterCount * bytes;
  const features = widths[0] ?? 0;
  const outputs = widths.at(-1) ?? 0;
  const perRow = (BUFFERS_PER_LAYER_ROW * rowWidths + features + outputs) * bytes;
  const activations = batchSize * perRow;
  const evaluation = evalRows * perRow + Math.max(evalRows, Math.min(EVALUATION_ROWS, data.examples)) * features * bytes;
  const dataBytes = data.examples * (data.features * data.bytesPerValue + Math.max(1, data.targetsPerExample) * 4);
  const estimate = {
    parameters,
    gradients: parameters,
    optimizerState: OPTIMIZER_SLOTS[shape.optimizer] * parameters,
    snapshots: SNAPSHOT_COPIES * parameters,
    activations,
    evaluation,
    data: dataBytes,
  };
  const total = Object.values(estimate).reduce((a, b) => a + b, 0);
  const engineMemory = ((2 * parameters + activations + evalRows * perRow) * 4) / bytes;
  return { ...estimate, total, engineMemory, largestArray };
}

/** "1.2 GB", "340 MB", "12 kB": decimal units, three significant digits. */
export function formatBytes(bytes: number): string {
  const units = ["B", "kB", "MB", "GB", "TB", "PB", "EB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  if (unit === units.length - 1 && value >= 1000) return `${bytes.toExponential(2)} B`;
  return `${unit === 0 ? value : Number(value.toPrecision(3))} ${units[unit]}`;
}

/** The parts of an estimate that matter, largest first: "parameters 3.18 GB, snapshots 12.7 GB, …". */
export function describeEstimate(estimate: MemoryEstimate): string {
  const parts: [string, number][] = [
    ["parameters", estimate.parameters],
    ["gradients", estimate.gradients],
    ["optimizer state", estimate.optimizerState],
    ["parameter snapshots", estimate.snapshots],
    ["activations", estimate.activations],
    ["evaluation", estimate.evaluation],
    ["data", estimate.data],
  ];
  return parts
    .filter(([, bytes]) => bytes > 0)
    .sort((a, b) => b[1] - a[1])
    .map(([name, bytes]) => `${name} ${formatBytes(bytes)}`)
    .join(", ");
}
