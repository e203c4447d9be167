import type { FloatArray } from "./model-spec.ts";

/**
 * One batch, as every backend receives it. The arrays are views into buffers that the batch
 * maker reuses: a backend copies what it needs and keeps no reference after the call returns.
 */
export interface Batch {
  /** Rows in this batch (the last batch of an epoch may be smaller than the batch size). */
  size: number;
  /** [size, features] row-major, already scaled (pixels to [0, 1]). */
  inputs: FloatArray;
  /** [size] class indices; null for regression data. */
  labels: Int32Array | null;
  /** [size, outputs] dense targets for the losses that compare outputs with targets; else null. */
  targets: FloatArray | null;
}
