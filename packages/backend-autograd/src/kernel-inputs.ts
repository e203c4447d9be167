import type { Batch, FloatArray } from "@crossprop/core";
import type { SparseRows } from "@crossprop/kernels";
import type { KernelMemory } from "./kernel-memory.ts";
import { Tensor } from "./tensor.ts";

/** Skip zero inputs when at most this fraction is nonzero (MNIST: 19%); denser data takes the dense product. */
const SPARSE_DENSITY = 0.5;

/**
 * A model's first-layer inputs on the wasm engine: a constant tensor in kernel memory that knows its
 * nonzeros when skipping zeros pays, so the first matmul and its weight gradient read only those.
 * One SparseRows, grown to the most rows seen, is refilled by every call; call inside the step's
 * pool (the tensor, like the nonzeros it points at, is valid until the pool resets).
 */
export class KernelInputs {
  private rows: SparseRows | null = null;
  private capacity = 0;

  /** `width`: the first layer's outputs, if known (where the kernels build the nonzeros; see createSparse). */
  constructor(
    private readonly memory: KernelMemory,
    private readonly features: number,
    private readonly width?: number,
  ) {}

  /**
   * From the batch's pixel bytes when it has them: compressed straight from the bytes, so the batch
   * never builds its dense floats (they are made from the nonzeros only if something reads them).
   */
  ofBatch(batch: Batch): Tensor {
    const pixels = batch.pixels;
    if (pixels === undefined || !(pixels.scale instanceof Float32Array)) return this.ofDense(batch.inputs, batch.size);
    const rows = this.sparseRows(batch.size);
    rows.setBytes(pixels.bytes, batch.size, pixels.scale);
    if (rows.nonzeros <= SPARSE_DENSITY * batch.size * this.features) return Tensor.withNonzeros(rows, () => rows.toDense());
    return this.ofDense(batch.inputs, batch.size);
  }

  /** A copy of the first `count` rows of `inputs` in kernel memory, with its nonzeros if sparse enough. */
  ofDense(inputs: FloatArray, count: number): Tensor {
    const dense = Tensor.from(inputs.subarray(0, count * this.features), [count, this.features], "float32");
    if (!this.memory.holds(dense.data)) throw new Error("KernelInputs needs the step's pool to be a kernel-memory pool");
    const rows = this.sparseRows(count);
    rows.setDense(dense.data, count);
    return rows.nonzeros <= SPARSE_DENSITY * count * this.features ? Tensor.withNonzeros(rows, dense.data) : dense;
  }

  free(): void {
    this.rows?.free();
    this.rows = null;
  }

  private sparseRows(count: number): SparseRows {
    if (this.rows === null || this.capacity < count) {
      this.rows?.free();
      this.rows = this.memory.kernels.createSparse(count, this.features, this.width);
      this.capacity = count;
    }
    return this.rows;
  }
}
