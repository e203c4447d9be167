import type { FloatArray } from "./model-spec.ts";

/**
 * One batch, as every backend receives it. The arrays are views into buffers that the batch
 * maker reuses: a backend copies what it needs and keeps no reference after the call returns.
 */
export interface Batch {
  /** Rows in this batch (the last batch of an epoch may be smaller than the batch size). */
  size: number;
  /** [size, features] row-major, already scaled (pixels to [0, 1]). A batch maker may build it on first read. */
  readonly inputs: FloatArray;
  /**
   * For byte data (image pixels): the same rows before scaling, and what each byte value scales to
   * (`inputs[i] = scale[bytes[i]]`). A backend that can use bytes directly (e.g. to skip zero pixels)
   * reads these and never makes `inputs` exist. Absent for float data.
   */
  readonly pixels?: PixelRows;
  /** [size] class indices; null for regression data. */
  labels: Int32Array | null;
  /** [size, outputs] dense targets for the losses that compare outputs with targets; else null. */
  targets: FloatArray | null;
}

/** A batch's inputs as bytes: [size, features] row-major, and the value of each byte (scale[0] = 0). */
export interface PixelRows {
  bytes: Uint8Array;
  scale: FloatArray;
}
