// @crossprop/kernels: WebAssembly SIMD products and elementwise kernels over one shared memory,
// with a worker-thread pool. Every result is bit-identical to the scalar float32 reference
// (src/reference.fixture.ts): products sum k ascending from 0, product then sum rounded to f32,
// never fused or reassociated, whatever the tile, the tail or the thread count.
/// <reference path="./webassembly.d.ts" />
import { kernelBytes, type KernelBytes } from "./kernel-bytes.ts";
import { KernelsHandle } from "./kernels.ts";
import { acquireRuntime, attach, MAX_THREADS } from "./runtime.ts";
import type { SparseRows } from "./sparse.ts";

export type { SparseRows } from "./sparse.ts";
/** columnOp's operation. */
export type ColumnOp = "add" | "sub" | "mul";
/** What rowSums does with each row's sum. */
export type RowSumMode = "store" | "add" | "subtract";

/** What sparseMatmul does to out after the product: out += bias (per column), then activated = relu(out). */
export interface SparseEpilogue {
  /** [n], added to every row of out. */
  bias?: Float32Array;
  /** [rows×n], written with relu(out); must not overlap out, b or bias. */
  activated?: Float32Array;
}
export { PARALLEL_ELEMENTS, PARALLEL_FLOPS, SPARSE_PARALLEL_FLOPS } from "./kernels.ts";
export type { KernelBytes } from "./kernel-bytes.ts";

export interface KernelsOptions {
  /** Threads per call, the calling one included (≥ 1): 2 = the caller + 1 worker. */
  threads: number;
}

/**
 * The process-wide kernels with this many threads. All handles share one memory and allocator, so
 * views from one work with another; the pool grows to the most threaded live handle. When the last
 * live handle is disposed the workers stop and the next call starts over with a fresh memory.
 */
export async function loadKernels(options: KernelsOptions): Promise<Kernels> {
  const threads = options?.threads;
  if (!Number.isInteger(threads) || threads < 1 || threads > MAX_THREADS) {
    throw new Error(`threads must be an integer in 1..${MAX_THREADS}, got ${String(threads)}`);
  }
  const runtime = await acquireRuntime();
  const handle = new KernelsHandle(runtime, threads);
  await attach(runtime, handle);
  return handle;
}

/**
 * Bytes in the kernels' memory that setBytes reads in place (read a dataset's pixels there). Holds
 * a one-thread handle, so every handle loaded before release shares this memory.
 */
export async function loadKernelBytes(): Promise<KernelBytes> {
  return kernelBytes(await loadKernels({ threads: 1 }));
}

export interface Kernels {
  readonly threads: number;
  readonly memory: WebAssembly.Memory;
  /** A zeroed Float32Array view into the shared memory (64-byte aligned). */
  allocFloat32(length: number): Float32Array;
  /** A zeroed Int32Array view into the shared memory (64-byte aligned). */
  allocInt32(length: number): Int32Array;
  /** A zeroed Uint8Array view into the shared memory (64-byte aligned). */
  allocUint8(length: number): Uint8Array;
  /** Returns an allocation to the allocator (reused by later allocations of about its size). */
  free(array: Float32Array | Int32Array | Uint8Array): void;

  // Every array below must be a view into this memory (a plain Error otherwise), long enough for
  // the shapes given. Dense products are row-major; out must not overlap the inputs.
  /** out[m×n] (= or +=) a[m×k]·b[k×n]. */
  matmul(out: Float32Array, a: Float32Array, b: Float32Array, m: number, k: number, n: number, accumulate?: boolean): void;
  /** out[m×n] (= or +=) aᵀ·b, a stored [k×m], b [k×n]. */
  matmulTransA(out: Float32Array, a: Float32Array, b: Float32Array, m: number, k: number, n: number, accumulate?: boolean): void;
  /** out[m×n] (= or +=) a·bᵀ, a [m×k], b stored [n×k] (packed to [k×n] in scratch first). */
  matmulTransB(out: Float32Array, a: Float32Array, b: Float32Array, m: number, k: number, n: number, accumulate?: boolean): void;

  /**
   * Sparse rows for up to capacityRows × columns (e.g. input pixels; their exact zeros are skipped).
   * `width`, if known, is the widest b or d the products will take: builds then stay on this thread
   * when those products will (the bytes out are the same either way).
   */
  createSparse(capacityRows: number, columns: number, width?: number): SparseRows;
  /**
   * out[rows×n] (= or +=) X·b, b [columns×n]; each element sums X's row nonzeros by ascending column.
   * The epilogue, if given, then does what addRowVector(out, bias) and relu(activated, out) would,
   * with the same bytes out, in the product's own stores where it can.
   */
  sparseMatmul(out: Float32Array, x: SparseRows, b: Float32Array, n: number, accumulate?: boolean, epilogue?: SparseEpilogue): void;
  /** out[columns×n] (= or +=) Xᵀ·d, d [rows×n]; each element sums X's column nonzeros by ascending row. */
  sparseMatmulTransA(out: Float32Array, x: SparseRows, d: Float32Array, n: number, accumulate?: boolean): void;

  /** out[i,j] = x[i,j] + v[j] for x [rows×cols]; out is x unless given (then it must not overlap x). */
  addRowVector(x: Float32Array, v: Float32Array, rows: number, cols: number, out?: Float32Array): void;
  /** out = e^x elementwise: the float64 exp of each float32 value, rounded to float32 once (in place allowed). */
  exp(out: Float32Array, x: Float32Array, n: number): void;
  /** out[j] (= or +=) Σ_i x[i,j], i ascending from 0. */
  columnSums(out: Float32Array, x: Float32Array, rows: number, cols: number, accumulate?: boolean): void;
  /** out = x > 0 ? x : 0 (in place allowed). */
  relu(out: Float32Array, x: Float32Array, n: number): void;
  /** out (= or +=) x > 0 ? grad : 0 (in place allowed). */
  reluBackward(out: Float32Array, x: Float32Array, grad: Float32Array, n: number, accumulate?: boolean): void;
  /**
   * reluBackward(out, x, grad, rows·cols) and then columnSums(sums, out, rows, cols), in one pass and
   * with the same bytes: the backward of relu(z + bias) into dz and dbias.
   */
  reluBackwardColumnSums(out: Float32Array, x: Float32Array, grad: Float32Array, rows: number, cols: number, sums: Float32Array): void;
  /** y = y + fround(alpha)·x (product rounded, then the sum). */
  axpy(y: Float32Array, alpha: number, x: Float32Array, n: number): void;
  /** out[r, j] = x[r, j] (op) c[r] for x [rows×cols], c [rows]: one float32 operation per element (out may be x). */
  columnOp(out: Float32Array, x: Float32Array, c: Float32Array, rows: number, cols: number, op: ColumnOp): void;
  /**
   * Each row's sum s = Σ_j x[r, j] in float64 (from +0, j ascending), then by `mode`: "store"
   * out[r] = f32(s); "add" out[r] = f32(out[r] + s), added in float64; "subtract" out[r] − f32(s), in float32.
   */
  rowSums(out: Float32Array, x: Float32Array, rows: number, cols: number, mode?: RowSumMode): void;
  /**
   * out[r] = the largest of x[r, :] and index[r] = r·cols + its column (exact in float32, so
   * rows·cols ≤ 2²⁴), the first on ties: an element replaces the best only when greater (a NaN in
   * column 0 stays; a later NaN is never taken).
   */
  rowMax(out: Float32Array, index: Float32Array, x: Float32Array, rows: number, cols: number): void;
  /** y[i] = f32(y[i] + a[i]·b[i]) with the product and the sum in float64: JavaScript's `y[i] += a[i] * b[i]` on float32 arrays. */
  addProducts(y: Float32Array, a: Float32Array, b: Float32Array, n: number): void;
  /** y = fround(alpha)·x + fround(beta)·y. */
  axpby(y: Float32Array, alpha: number, x: Float32Array, beta: number, n: number): void;
  /**
   * Softmax cross-entropy of logits [rows×classes] against labels, in float64 on this thread:
   * returns factor·Σ_r (log Σ_c exp(z_rc − m_r) + m_r − z_r,label) and adds
   * factor·(softmax(z_r) − onehot(label_r)) into grad (each element rounded to f32 once).
   * A label outside [0, classes) is a RangeError naming its row.
   */
  softmaxCrossEntropy(logits: Float32Array, labels: Int32Array, rows: number, classes: number, factor: number, grad: Float32Array): number;
  /** Releases this handle; the workers stop when no live handle needs them. Memory stays until collected. */
  dispose(): void;
}
