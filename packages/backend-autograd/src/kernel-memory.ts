import type { FloatArray } from "@crossprop/core";
import type { Kernels } from "@crossprop/kernels";
import { currentPool } from "./buffer-pool.ts";
import { Tensor } from "./tensor.ts";

/**
 * The wasm engine's storage: float32 arrays in @crossprop/kernels' shared memory, remembered so an
 * op can tell whether the kernels may read an operand (a view made elsewhere is not theirs). Owns
 * the kernels handle; `dispose` frees every array still held and releases the handle.
 */
export class KernelMemory {
  private readonly owned = new WeakSet<Float32Array>();
  private readonly live = new Set<Float32Array>();

  constructor(readonly kernels: Kernels) {}

  /** A zeroed float32 array in kernel memory, held until `free` or `dispose`. */
  alloc(length: number): Float32Array {
    const array = this.kernels.allocFloat32(length);
    this.owned.add(array);
    this.live.add(array);
    return array;
  }

  free(array: Float32Array): void {
    if (!this.live.delete(array)) return;
    this.owned.delete(array);
    this.kernels.free(array);
  }

  /** True when `array` is one of this memory's live arrays (not a subarray or a copy of one). */
  holds(array: unknown): array is Float32Array {
    return this.owned.has(array as Float32Array);
  }

  /** A parameter: its values and its gradient both in kernel memory, so every op on it can use the kernels. */
  parameter(values: ArrayLike<number>, shape: readonly number[]): Tensor {
    const size = shape.reduce((product, extent) => product * extent, 1);
    const data = this.alloc(size);
    data.set(values);
    const param = new Tensor(data, shape, true);
    param.grad = this.alloc(size);
    return param;
  }

  /**
   * `tensor`'s gradient buffer for a kernel that writes all of it, and whether to add to it (see
   * Tensor.gradToWrite); it must be in this memory too.
   */
  gradOf(tensor: Tensor): { grad: Float32Array; accumulate: boolean } {
    const target = tensor.gradToWrite();
    if (!this.holds(target.grad)) throw new Error(`a ${tensor.op} tensor in kernel memory has its gradient elsewhere: make parameters with KernelMemory.parameter`);
    return target as { grad: Float32Array; accumulate: boolean };
  }

  /** Bytes of the arrays held now, for tests. */
  get bytes(): number {
    let total = 0;
    for (const array of this.live) total += array.byteLength;
    return total;
  }

  dispose(): void {
    for (const array of this.live) {
      this.owned.delete(array);
      this.kernels.free(array);
    }
    this.live.clear();
    this.kernels.dispose();
  }
}

/** The active pool's kernel memory if it holds `x` (and `y`); null means: run the TypeScript loops. */
export function kernelMemoryHolding(x: FloatArray, y: FloatArray = x): KernelMemory | null {
  const memory = currentPool()?.memory ?? null;
  return memory !== null && memory.holds(x) && memory.holds(y) ? memory : null;
}

/** The active pool's kernels if its memory holds `x`, `y` and `z`; null means: run the TypeScript loops. */
export function kernelsHolding(x: FloatArray, y: FloatArray = x, z: FloatArray = x): Kernels | null {
  const memory = kernelMemoryHolding(x, y);
  return memory !== null && memory.holds(z) ? memory.kernels : null;
}
