// One Kernels handle: argument checks, the task block's arguments, and the split of each call
// into contiguous ranges (output rows, columns or elements) over this handle's threads. Every output
// element is computed by exactly one thread in a fixed order, so results do not depend on threads.
import type { ColumnOp, Kernels, RowSumMode, SparseEpilogue } from "./index.ts";
import { detach, PARALLEL_ELEMENTS, PARALLEL_FLOPS, SPARSE_PARALLEL_FLOPS, type Runtime } from "./runtime.ts";
import { panelPlan, splitLines } from "./panels.ts";
import { MAX_WORKERS } from "./pool.ts";
import { checkCount, type Lines, SparseMatrix, type SparseRows } from "./sparse.ts";

export { PARALLEL_ELEMENTS, PARALLEL_FLOPS, SPARSE_PARALLEL_FLOPS } from "./runtime.ts";
/** A sparse product packs b into panels when it has this many nonzeros per row of b, or more. */
const PANEL_NONZEROS_PER_ROW = 4;
/** Xᵀ·d for d this narrow (one panel) scatters the CSR instead of building the CSC. */
const SCATTER_MAX_N = 28;
/** The most scratch the panels may take (beyond that the row kernel reads b in place). */
const PANEL_SCRATCH_BYTES = 256 * 2 ** 20;

/** Chunk c of a panel product is share c: bounds 0, 1, 2, … for up to MAX_WORKERS + 1 threads. */
const SHARE_BOUNDS = Array.from({ length: MAX_WORKERS + 2 }, (_, c) => c);
/** Chunks per thread of a dense product or an elementwise call (see dispatch). */
const CHUNKS_PER_THREAD = 2;
/** A row sum's or row max's element (a float64 add, or a compare, in a dependent chain) costs about this many of an add. */
const ROW_SUM_COST = 4;
/** An exp costs about as much as this many elements of an add (for the threads' threshold). */
const EXP_COST = 8;
/**
 * A logit of softmax cross-entropy (max, float64 exp, sum, log, gradient) costs about this many
 * elements of an add: 14.5 µs for 256×10 against 5 µs for a 256×256 relu (kernels/bench/gflops.ts).
 */
export const SOFTMAX_COST = 64;
/** The loss's f64 factor and its two 32-bit halves, as the softmax task takes it (no allocation per call). */
const FACTOR = new Float64Array(1);
const FACTOR_WORDS = new Uint32Array(FACTOR.buffer);

export class KernelsHandle implements Kernels {
  private disposed = false;
  /** dispatch's chunk bounds, reused by every call. */
  private readonly bounds: number[] = [];

  constructor(private readonly runtime: Runtime, readonly threads: number) {}

  get memory(): WebAssembly.Memory {
    return this.runtime.memory;
  }

  allocFloat32(length: number): Float32Array {
    checkCount(length, "length");
    const offset = this.live().allocator.alloc(4 * length);
    return new Float32Array(this.runtime.allocator.buffer, offset, length);
  }

  allocInt32(length: number): Int32Array {
    checkCount(length, "length");
    const offset = this.live().allocator.alloc(4 * length);
    return new Int32Array(this.runtime.allocator.buffer, offset, length);
  }

  allocUint8(length: number): Uint8Array {
    checkCount(length, "length");
    const offset = this.live().allocator.alloc(length);
    return new Uint8Array(this.runtime.allocator.buffer, offset, length);
  }

  free(array: Float32Array | Int32Array | Uint8Array): void {
    const { allocator } = this.live();
    allocator.free(allocator.address(array, "array"));
  }

  matmul(out: Float32Array, a: Float32Array, b: Float32Array, m: number, k: number, n: number, accumulate = false): void {
    this.gemm(out, a, b, m, k, n, accumulate, 4 * k, 4, false);
  }

  matmulTransA(out: Float32Array, a: Float32Array, b: Float32Array, m: number, k: number, n: number, accumulate = false): void {
    this.gemm(out, a, b, m, k, n, accumulate, 4, 4 * m, false);
  }

  matmulTransB(out: Float32Array, a: Float32Array, b: Float32Array, m: number, k: number, n: number, accumulate = false): void {
    this.gemm(out, a, b, m, k, n, accumulate, 4 * k, 4, true);
  }

  createSparse(capacityRows: number, columns: number, width?: number): SparseRows {
    if (width !== undefined) checkCount(width, "width");
    return new SparseMatrix(this.live(), capacityRows, columns, this.threads, width);
  }

  sparseMatmul(out: Float32Array, x: SparseRows, b: Float32Array, n: number, accumulate = false, epilogue: SparseEpilogue = {}): void {
    const sparse = this.sparse(x);
    checkCount(n, "n");
    const size = sparse.rows * n;
    const o = this.view(out, size, "out");
    const pb = this.view(b, sparse.columns * n, "b");
    disjoint(o, size, pb, sparse.columns * n, "out", "b");
    const { bias, activated } = epilogue;
    const pBias = bias === undefined ? 0 : this.view(bias, n, "bias");
    const pActivated = activated === undefined ? 0 : this.view(activated, size, "activated");
    if (bias !== undefined) disjoint(o, size, pBias, n, "out", "bias");
    if (activated !== undefined) {
      disjoint(pActivated, size, o, size, "activated", "out");
      disjoint(pActivated, size, pb, sparse.columns * n, "activated", "b");
      if (bias !== undefined) disjoint(pActivated, size, pBias, n, "activated", "bias");
    }
    // Threads split b's columns: each reads all of X's rows once, and only its own columns of b.
    const fused = this.spmm(o, sparse.byRows(), pb, sparse.columns, n, accumulate, sparse.rows, sparse.nonzeros, false, pBias, pActivated);
    if (fused) return;
    if (bias !== undefined) this.addRowVector(out, bias, sparse.rows, n);
    if (activated !== undefined) this.relu(activated, out, size);
  }

  sparseMatmulTransA(out: Float32Array, x: SparseRows, d: Float32Array, n: number, accumulate = false): void {
    const sparse = this.sparse(x);
    checkCount(n, "n");
    const o = this.view(out, sparse.columns * n, "out");
    const pd = this.view(d, sparse.rows * n, "d");
    disjoint(o, sparse.columns * n, pd, sparse.rows * n, "out", "d");
    const { runtime } = this;
    if (n > 0 && n <= SCATTER_MAX_N && sparse.colScale === runtime.ops.panelStride && sparse.rows > 0) {
      // Narrow d: scatter the CSR's nonzeros into per-column accumulators, no CSC (see assembly/scatter.ts).
      const work = runtime.scratch(sparse.columns * runtime.ops.panelStride);
      const { ptr, pairs } = sparse.byRows();
      runtime.setTask(runtime.ops.scatterTransA, o, ptr.byteOffset, pairs, pd, n, sparse.columns, accumulate ? 1 : 0, work, sparse.rows);
      return runtime.exports.runTask(runtime.task, 0, 1);
    }
    const csc = sparse.byColumns(this.threads);
    // Threads split out's rows: each packs all of d (small next to out), writes whole rows of out
    // (as a later update of the same array splits it), and reads only its rows of the CSC.
    this.spmm(o, csc, pd, sparse.rows, n, accumulate, sparse.columns, sparse.nonzeros, true);
  }

  addRowVector(x: Float32Array, v: Float32Array, rows: number, cols: number, out: Float32Array = x): void {
    checkCount(rows, "rows");
    checkCount(cols, "cols");
    const px = this.view(x, rows * cols, "x");
    const pv = this.view(v, cols, "v");
    const po = out === x ? px : this.view(out, rows * cols, "out");
    disjoint(px, rows * cols, pv, cols, "x", "v");
    disjoint(po, rows * cols, pv, cols, "out", "v");
    sameOrDisjoint(po, px, rows * cols, "out", "x");
    this.setTask(this.runtime.ops.addRowVector, po, px, pv, cols);
    this.dispatch(rows, 1, rows * cols, PARALLEL_ELEMENTS);
  }

  exp(out: Float32Array, x: Float32Array, n: number): void {
    this.unary(this.runtime.ops.exp, out, x, n, EXP_COST);
  }

  columnSums(out: Float32Array, x: Float32Array, rows: number, cols: number, accumulate = false): void {
    checkCount(rows, "rows");
    checkCount(cols, "cols");
    const po = this.view(out, cols, "out");
    const px = this.view(x, rows * cols, "x");
    disjoint(po, cols, px, rows * cols, "out", "x");
    this.setTask(this.runtime.ops.columnSums, po, px, rows, cols, accumulate ? 1 : 0);
    this.dispatch(cols, 16, rows * cols, PARALLEL_ELEMENTS);
  }

  relu(out: Float32Array, x: Float32Array, n: number): void {
    this.unary(this.runtime.ops.relu, out, x, n, 1);
  }

  reluBackward(out: Float32Array, x: Float32Array, grad: Float32Array, n: number, accumulate = false): void {
    this.binary(this.runtime.ops.reluBackward, out, x, grad, n, ["out", "x", "grad"], 1, accumulate ? 1 : 0);
  }

  reluBackwardColumnSums(out: Float32Array, x: Float32Array, grad: Float32Array, rows: number, cols: number, sums: Float32Array): void {
    checkCount(rows, "rows");
    checkCount(cols, "cols");
    const n = rows * cols;
    const po = this.view(out, n, "out");
    const px = this.view(x, n, "x");
    const pg = this.view(grad, n, "grad");
    const ps = this.view(sums, cols, "sums");
    sameOrDisjoint(po, px, n, "out", "x");
    sameOrDisjoint(po, pg, n, "out", "grad");
    disjoint(ps, cols, po, n, "sums", "out");
    disjoint(ps, cols, px, n, "sums", "x");
    disjoint(ps, cols, pg, n, "sums", "grad");
    this.setTask(this.runtime.ops.reluBackwardSums, po, px, pg, ps, rows, cols);
    this.dispatch(cols, 16, 2 * n, PARALLEL_ELEMENTS);
  }

  axpy(y: Float32Array, alpha: number, x: Float32Array, n: number): void {
    checkCount(n, "n");
    const py = this.view(y, n, "y");
    const px = this.view(x, n, "x");
    sameOrDisjoint(py, px, n, "y", "x");
    this.setTask(this.runtime.ops.axpy, py, px);
    this.runtime.taskReals[3] = alpha;
    this.dispatch(n, 16, n, PARALLEL_ELEMENTS);
  }

  columnOp(out: Float32Array, x: Float32Array, c: Float32Array, rows: number, cols: number, op: ColumnOp): void {
    const n = matrixSize(rows, cols);
    const po = this.view(out, n, "out");
    const px = this.view(x, n, "x");
    const pc = this.view(c, rows, "c");
    sameOrDisjoint(po, px, n, "out", "x");
    disjoint(po, n, pc, rows, "out", "c");
    const code = this.runtime.ops.columnOps[op];
    if (code === undefined) throw new Error(`columnOp: op must be add, sub or mul, got ${String(op)}`);
    this.setTask(this.runtime.ops.columnOp, po, px, pc, cols, code);
    this.dispatch(rows, 1, n, PARALLEL_ELEMENTS);
  }

  rowSums(out: Float32Array, x: Float32Array, rows: number, cols: number, mode: RowSumMode = "store"): void {
    const n = matrixSize(rows, cols);
    const po = this.view(out, rows, "out");
    const px = this.view(x, n, "x");
    disjoint(po, rows, px, n, "out", "x");
    const code = this.runtime.ops.rowSumModes[mode];
    if (code === undefined) throw new Error(`rowSums: mode must be store, add or subtract, got ${String(mode)}`);
    this.setTask(this.runtime.ops.rowSums, po, px, cols, code);
    this.dispatch(rows, 1, n * ROW_SUM_COST, PARALLEL_ELEMENTS);
  }

  rowMax(out: Float32Array, index: Float32Array, x: Float32Array, rows: number, cols: number): void {
    const n = matrixSize(rows, cols);
    if (cols === 0 && rows > 0) throw new Error("rowMax over rows of no columns");
    if (n > 2 ** 24) throw new Error(`rowMax: indices of ${rows}×${cols} elements are not all exact in float32`);
    const po = this.view(out, rows, "out");
    const pi = this.view(index, rows, "index");
    const px = this.view(x, n, "x");
    disjoint(po, rows, pi, rows, "out", "index");
    disjoint(po, rows, px, n, "out", "x");
    disjoint(pi, rows, px, n, "index", "x");
    this.setTask(this.runtime.ops.rowMax, po, pi, px, cols);
    this.dispatch(rows, 1, n * ROW_SUM_COST, PARALLEL_ELEMENTS);
  }

  addProducts(y: Float32Array, a: Float32Array, b: Float32Array, n: number): void {
    this.binary(this.runtime.ops.addProducts, y, a, b, n, ["y", "a", "b"], 2);
  }

  axpby(y: Float32Array, alpha: number, x: Float32Array, beta: number, n: number): void {
    checkCount(n, "n");
    const py = this.view(y, n, "y");
    const px = this.view(x, n, "x");
    sameOrDisjoint(py, px, n, "y", "x");
    this.setTask(this.runtime.ops.axpby, py, px);
    this.runtime.taskReals[3] = alpha;
    this.runtime.taskReals[4] = beta;
    this.dispatch(n, 16, n, PARALLEL_ELEMENTS);
  }

  softmaxCrossEntropy(logits: Float32Array, labels: Int32Array, rows: number, classes: number, factor: number, grad: Float32Array): number {
    checkCount(rows, "rows");
    checkCount(classes, "classes");
    const pl = this.view(logits, rows * classes, "logits");
    const pg = this.view(grad, rows * classes, "grad");
    if (!(labels instanceof Int32Array) || labels.length < rows) throw new Error(`labels must be an Int32Array of at least ${rows} elements in the kernels' memory`);
    const py = this.live().allocator.address(labels, "labels");
    const bad = this.runtime.exports.firstBadLabel(py, rows, classes);
    if (bad >= 0) throw new RangeError(`label ${labels[bad]} of row ${bad} is outside [0, ${classes}) for cross_entropy`);
    disjoint(pg, rows * classes, pl, rows * classes, "grad", "logits");
    const { runtime } = this;
    const work = rows * classes * SOFTMAX_COST;
    if (work < PARALLEL_ELEMENTS || runtime.threadsAvailable(this.threads) === 1) {
      return runtime.exports.softmaxCrossEntropy(pl, py, rows, classes, factor, pg, runtime.scratch(8 * Math.max(1, classes)));
    }
    // Rows on every thread, each row's loss into scratch, then summed in row order (the same bits).
    const scratch = runtime.scratch(8 * (rows + rows * classes));
    FACTOR[0] = factor;
    this.setTask(runtime.ops.softmaxRows, pl, py, classes, FACTOR_WORDS[0], FACTOR_WORDS[1], pg, scratch + 8 * rows, scratch);
    this.dispatch(rows, 1, work, PARALLEL_ELEMENTS);
    return runtime.exports.sumFloat64(scratch, rows) * factor;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    detach(this.runtime, this);
  }

  /** a(i, kk) at a + i·rowStride + kk·kStride bytes; with `transposeB` b is [n×k] and is packed to [k×n] first. */
  private gemm(
    out: Float32Array, a: Float32Array, b: Float32Array, m: number, k: number, n: number,
    accumulate: boolean, rowStride: number, kStride: number, transposeB: boolean,
  ): void {
    checkCount(m, "m");
    checkCount(k, "k");
    checkCount(n, "n");
    const po = this.view(out, m * n, "out");
    const pa = this.view(a, m * k, "a");
    let pb = this.view(b, k * n, "b");
    disjoint(po, m * n, pa, m * k, "out", "a");
    disjoint(po, m * n, pb, k * n, "out", "b");
    if (transposeB && k * n > 0) {
      const packed = this.runtime.scratch(4 * k * n);
      this.runtime.exports.transpose(packed, pb, n, k);
      pb = packed;
    }
    this.setTask(this.runtime.ops.gemm, po, pa, rowStride, kStride, pb, k, n, accumulate ? 1 : 0);
    this.dispatch(m, 4, 2 * m * k * n, PARALLEL_FLOPS);
  }

  /**
   * out[lines×n] (= or +=) X·b for compressed `lines` (nonzeros sorted within each line) and b [k×n].
   * Dense enough matrices pack b into panels: threads split the columns (`byRows` false: each runs
   * all lines through its panels) or the lines (each packs every panel). Others run the row kernel
   * on b in place. Line splits give each thread about the same nonzeros plus lines. The panels also
   * apply the epilogue (pBias, pActivated: assembly/spmm.ts emit; 0 for none) and return true; the
   * row kernel does not, and returns false.
   */
  private spmm(
    out: number, x: Lines, b: number, k: number, n: number, accumulate: boolean, lines: number, nonzeros: number, byRows: boolean,
    pBias = 0, pActivated = 0,
  ): boolean {
    const { runtime } = this;
    const wanted = 2 * nonzeros * n >= SPARSE_PARALLEL_FLOPS ? this.threads : 1;
    if (x.scale === runtime.ops.panelStride && n > 0 && lines > 0 && nonzeros >= PANEL_NONZEROS_PER_ROW * k) {
      const threads = Math.min(wanted, byRows ? lines : Math.ceil(n / 4));
      const plan = panelPlan(n, byRows ? 1 : threads);
      const panels = plan.entries.length / 3;
      const lineBounds = byRows ? splitLines(x.ptr, lines, threads) : undefined;
      const slots = byRows ? threads * panels : panels;
      const panelBytes = k * runtime.ops.panelStride;
      if (slots * panelBytes <= PANEL_SCRATCH_BYTES) {
        const planBytes = Math.ceil((panels * runtime.ops.planEntry) / 64) * 64;
        const shareWords = runtime.ops.shareEntry / 4;
        const sharesBytes = Math.ceil((threads * runtime.ops.shareEntry) / 64) * 64;
        const scratch = runtime.scratch(planBytes + sharesBytes + slots * panelBytes);
        const words = new Int32Array(runtime.allocator.buffer, scratch, (planBytes + sharesBytes) / 4);
        words.set(plan.entries);
        for (let t = 0; t < threads; t++) {
          const share = planBytes / 4 + t * shareWords;
          if (lineBounds) words.set([0, panels, lineBounds[t]!, lineBounds[t + 1]!, t * panels], share);
          else words.set([plan.bounds[t]!, plan.bounds[t + 1]!, 0, lines, plan.bounds[t]!], share);
        }
        runtime.setTask(
          runtime.ops.spmmPanels, out, x.ptr.byteOffset, x.pairs, b, n, k, accumulate ? 1 : 0,
          scratch, scratch + planBytes, scratch + planBytes + sharesBytes, pBias, pActivated,
        );
        runtime.runChunks(SHARE_BOUNDS, threads, threads);
        return true;
      }
    }
    runtime.setTask(runtime.ops.spmm, out, x.ptr.byteOffset, x.pairs, b, n, accumulate ? 1 : 0, x.scale);
    runtime.runChunks(splitLines(x.ptr, lines, Math.min(wanted, lines)));
    return false;
  }

  /**
   * Splits [0, total) into CHUNKS_PER_THREAD contiguous chunks of whole `granularity` units per
   * thread, so a thread that started late (or runs on a slower core) leaves its chunks to the others.
   */
  private dispatch(total: number, granularity: number, work: number, threshold: number): void {
    const { runtime } = this;
    const units = Math.ceil(total / granularity);
    const threads = work >= threshold ? Math.min(runtime.threadsAvailable(this.threads), units) : 1;
    if (threads <= 1) return runtime.exports.runTask(runtime.task, 0, total);
    const chunks = Math.min(units, threads * CHUNKS_PER_THREAD);
    const bounds = this.bounds;
    // round(units·c / chunks) in integers (a quotient V8 has seen whole would deopt on a fraction).
    for (let c = 0; c <= chunks; c++) bounds[c] = Math.min(total, (((2 * units * c + chunks) / (2 * chunks)) | 0) * granularity);
    runtime.runChunks(bounds, chunks, threads);
  }

  /** out = f(a, b) elementwise by task `op` (its arguments: out, a, b, then `flag`); out may be a or b. */
  private binary(op: number, out: Float32Array, a: Float32Array, b: Float32Array, n: number, names: [string, string, string], cost: number, flag = 0): void {
    checkCount(n, "n");
    const po = this.view(out, n, names[0]);
    const pa = this.view(a, n, names[1]);
    const pb = this.view(b, n, names[2]);
    sameOrDisjoint(po, pa, n, names[0], names[1]);
    sameOrDisjoint(po, pb, n, names[0], names[2]);
    this.setTask(op, po, pa, pb, flag);
    this.dispatch(n, 16, n * cost, PARALLEL_ELEMENTS);
  }

  /** out = f(x) elementwise by task `op` (in place allowed), split over threads when n·cost is large. */
  private unary(op: number, out: Float32Array, x: Float32Array, n: number, cost: number): void {
    checkCount(n, "n");
    const po = this.view(out, n, "out");
    const px = this.view(x, n, "x");
    sameOrDisjoint(po, px, n, "out", "x");
    this.setTask(op, po, px);
    this.dispatch(n, 16, n * cost, PARALLEL_ELEMENTS);
  }

  private setTask(op: number, a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0, a5 = 0, a6 = 0, a7 = 0): void {
    this.runtime.setTask(op, a0, a1, a2, a3, a4, a5, a6, a7);
  }

  private view(array: Float32Array, length: number, name: string): number {
    const { allocator } = this.live();
    if (!(array instanceof Float32Array)) throw new Error(`${name} must be a Float32Array view into the kernels' memory`);
    const offset = allocator.address(array, name);
    if (array.length < length) throw new Error(`${name} has ${array.length} elements; this call needs ${length}`);
    return offset;
  }

  private sparse(x: SparseRows): SparseMatrix {
    if (!(x instanceof SparseMatrix)) throw new Error("x must be a SparseRows from createSparse");
    x.checkOwner(this.live(), "x");
    return x;
  }

  private live(): Runtime {
    if (this.disposed) throw new Error("these kernels were disposed; call loadKernels again");
    return this.runtime;
  }
}

/** rows·cols, after checking both are counts. */
function matrixSize(rows: number, cols: number): number {
  checkCount(rows, "rows");
  checkCount(cols, "cols");
  return rows * cols;
}

function disjoint(p: number, length: number, q: number, qLength: number, name: string, qName: string): void {
  if (length > 0 && qLength > 0 && p < q + 4 * qLength && q < p + 4 * length) throw new Error(`${name} must not overlap ${qName}`);
}

/** Elementwise kernels may run in place (the same view) but not on shifted overlapping views. */
function sameOrDisjoint(p: number, q: number, length: number, name: string, qName: string): void {
  if (p !== q) disjoint(p, length, q, length, name, qName);
}
