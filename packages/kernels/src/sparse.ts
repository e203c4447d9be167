// Compressed sparse rows in kernel memory: the exact nonzeros of a dense matrix in row-major order
// (CSR), plus their column-grouped transpose (CSC, rows ascending within a column) built lazily the
// first time Xᵀ·d needs it after each set. The sparse products skip exact zeros: that never changes
// an f32 sum (an accumulator starting at +0 stays unchanged by ±0 terms), except that 0·Inf and
// 0·NaN terms are skipped instead of producing NaN, and -0 entries read back as +0.
//
// A nonzero is stored as a pair of 32-bit words: its f32 value, then its column (in the CSC: its
// row) times `scale` — the panel stride, so the products address a packed panel row without a
// multiply (assembly/spmm.ts) — or times 1 for a dimension above MAX_SCALED. Builds run on the
// creating handle's threads: setBytes splits rows, and after setBytes (with a table whose only zero
// is table[0]) the CSC is cut straight from the bytes, split by columns; otherwise one thread
// transposes the CSR by a counting sort. Every split writes exactly the bytes one thread would.
import { PARALLEL_ELEMENTS, SPARSE_PARALLEL_FLOPS, type Runtime } from "./runtime.ts";

/** The SparseRows contract (see index.ts). */
export interface SparseRows {
  readonly columns: number;
  readonly rows: number;
  readonly nonzeros: number;
  setDense(x: Float32Array, rows: number): void;
  /**
   * The nonzeros of bytes [rows×columns] scaled by table (table[0] = 0). Bytes already in the
   * kernels' memory (a dataset read there) are read where they are, until the next set: they must
   * not change before it; any others are copied in first.
   */
  setBytes(bytes: Uint8Array, rows: number, table: Float32Array): void;
  toDense(): Float32Array;
  free(): void;
}

/** Dimensions up to this store offsets scaled by the panel stride (larger ones store plain indices). */
export const MAX_SCALED = 1 << 24;
/**
 * Build splits. A thread's range starts after a count of everything before it (a popcount, at
 * about COUNT_COST of building the same), and the workers read bytes this thread has just copied
 * in, which costs them more than it costs this thread — from hardly anything up to ~3× when the
 * cores are far apart (on a VM that changes from run to run): WORKER_COST is the compromise. Bytes
 * read in place come from memory to every thread alike, so those builds split evenly (measured:
 * configs/mlp.yaml's epoch 2–5% faster than at WORKER_COST, two paired runs).
 */
const COUNT_COST = 0.08;
const WORKER_COST = 1.4;

/** Compressed lines (rows of the CSR, columns of the CSC) as the products read them. */
export interface Lines {
  /** lines + 1 pair indices. */
  readonly ptr: Int32Array;
  /** Byte offset of the pairs. */
  readonly pairs: number;
  /** Scale of the stored offsets (the panel stride, or 1). */
  readonly scale: number;
}

export class SparseMatrix implements SparseRows {
  rows = 0;
  nonzeros = 0;
  /** CSR: rows + 1 offsets, then the nonzeros' pairs (value, column·colScale). */
  readonly rowPtr: Int32Array;
  readonly pairs: Int32Array;
  private readonly pairValues: Float32Array;
  /** Scales of stored columns (CSR) and rows (CSC). */
  readonly colScale: number;
  readonly rowScale: number;
  /** CSC, valid while `columnsReady`: columns + 1 offsets, pairs (value, row·rowScale) by column. */
  private csc: { colPtr: Int32Array; pairs: Int32Array; next: Int32Array } | undefined;
  private columnsReady = false;
  /** The last set was setBytes with a table whose only zero is table[0]; its bytes are at `bytesAt`. */
  private fromBytes = false;
  /** This matrix's copy of bytes from outside the kernels' memory. */
  private bytes: Uint8Array | undefined;
  /** Where the last setBytes's bytes are: in `bytes`, or the caller's own in the kernels' memory. */
  private bytesAt = 0;
  /** What a worker's share of a build from those bytes costs against this thread's (see WORKER_COST). */
  private bytesWorkerCost = WORKER_COST;
  private table: Float32Array | undefined;
  private dense: Float32Array | undefined;
  private freed = false;

  /**
   * `width`: the widest b or d the products will take, if known. When those products run on one
   * thread (under SPARSE_PARALLEL_FLOPS, judged by the last set's nonzeros per row), builds do
   * too: a split build would leave half the rows in another core's cache for the product to fetch.
   */
  constructor(
    private readonly runtime: Runtime, readonly capacityRows: number, readonly columns: number,
    private readonly threads = 1, private readonly width?: number,
  ) {
    checkCount(capacityRows, "capacityRows");
    checkCount(columns, "columns");
    const capacity = capacityRows * columns;
    const panelStride = runtime.ops.panelStride;
    this.colScale = columns <= MAX_SCALED ? panelStride : 1;
    this.rowScale = capacityRows <= MAX_SCALED ? panelStride : 1;
    this.rowPtr = this.int32(capacityRows + 1);
    this.pairs = this.int32(2 * capacity);
    this.pairValues = new Float32Array(this.pairs.buffer, this.pairs.byteOffset, this.pairs.length);
  }

  setDense(x: Float32Array, rows: number): void {
    this.checkRows(rows);
    const length = rows * this.columns;
    if (!(x instanceof Float32Array) || x.length < length) throw new Error(`setDense needs a Float32Array of at least ${rows}×${this.columns} = ${length} elements`);
    let source: number;
    if (this.runtime.allocator.owns(x)) source = this.runtime.allocator.address(x, "x");
    else {
      this.dense ??= this.float32(this.capacityRows * this.columns);
      this.dense.set(x.subarray(0, length));
      source = this.dense.byteOffset;
    }
    const { runtime } = this;
    runtime.setTask(runtime.ops.compressFloats, source, this.columns, this.rowPtr.byteOffset, this.pairs.byteOffset, this.colScale);
    runtime.runChunks(splitRanges(rows, this.buildThreads(length, rows), 1));
    this.finishSet(rows, false);
  }

  setBytes(bytes: Uint8Array, rows: number, table: Float32Array): void {
    this.checkRows(rows);
    const length = rows * this.columns;
    if (!(bytes instanceof Uint8Array) || bytes.length < length) throw new Error(`setBytes needs a Uint8Array of at least ${rows}×${this.columns} = ${length} bytes`);
    if (!(table instanceof Float32Array) || table.length < 256) throw new Error("setBytes needs a table of 256 float32 values");
    if (table[0] !== 0) throw new Error(`setBytes: table[0] must be 0 (byte 0 is never stored), got ${table[0]}`);
    const { runtime } = this;
    const inPlace = runtime.allocator.owns(bytes);
    if (inPlace) this.bytesAt = runtime.allocator.address(bytes, "bytes");
    else {
      this.bytes ??= this.uint8(this.capacityRows * this.columns);
      this.bytes.set(bytes.subarray(0, length));
      this.bytesAt = this.bytes.byteOffset;
    }
    this.bytesWorkerCost = inPlace ? 1 : WORKER_COST;
    this.table ??= this.float32(256);
    this.table.set(table.subarray(0, 256));
    // With no other zero in the table every nonzero byte is stored, so counts are popcounts.
    const exact = runtime.exports.zerosPastFirst(this.table.byteOffset) === 0;
    runtime.setTask(
      runtime.ops.compressBytes, this.bytesAt, this.columns, this.table.byteOffset, exact ? 1 : 0,
      this.rowPtr.byteOffset, this.pairs.byteOffset, this.colScale,
    );
    runtime.runChunks(splitRanges(rows, exact ? this.buildThreads(length, rows) : 1, 1, this.bytesWorkerCost));
    this.finishSet(rows, exact);
  }

  toDense(): Float32Array {
    this.checkLive();
    const dense = new Float32Array(this.rows * this.columns);
    for (let r = 0; r < this.rows; r++) {
      for (let p = this.rowPtr[r]!; p < this.rowPtr[r + 1]!; p++) {
        dense[r * this.columns + (this.pairs[2 * p + 1]! >>> 0) / this.colScale] = this.pairValues[2 * p]!;
      }
    }
    return dense;
  }

  /** The CSR as the products read it. */
  byRows(): Lines {
    return { ptr: this.rowPtr, pairs: this.pairs.byteOffset, scale: this.colScale };
  }

  /** The CSC, built now (on up to `threads` threads) unless already built since the last set. */
  byColumns(threads: number): Lines {
    this.checkLive();
    if (!this.csc) {
      const capacity = this.capacityRows * this.columns;
      this.csc = { colPtr: this.int32(this.columns + 1), pairs: this.int32(2 * capacity), next: this.int32(this.columns) };
    }
    const { colPtr, pairs, next } = this.csc;
    if (!this.columnsReady) {
      const { runtime } = this;
      if (this.fromBytes) {
        runtime.setTask(
          runtime.ops.transposeBytes, this.bytesAt, this.rows, this.columns, this.table!.byteOffset,
          colPtr.byteOffset, pairs.byteOffset, this.rowScale, next.byteOffset,
        );
        const parallel = this.rows * this.columns >= PARALLEL_ELEMENTS ? runtime.threadsAvailable(threads) : 1;
        runtime.runChunks(splitRanges(this.columns, Math.min(parallel, Math.ceil(this.columns / 16)), 16, this.bytesWorkerCost));
      } else {
        runtime.exports.transposeCompressed(
          this.rows, this.columns, this.rowPtr.byteOffset, this.pairs.byteOffset, this.colScale,
          colPtr.byteOffset, pairs.byteOffset, this.rowScale, next.byteOffset,
        );
      }
      this.columnsReady = true;
    }
    return { ptr: colPtr, pairs: pairs.byteOffset, scale: this.rowScale };
  }

  /** Throws unless this matrix is live and belongs to `runtime`. */
  checkOwner(runtime: Runtime, name: string): void {
    if (this.runtime !== runtime) throw new Error(`${name} was created by other kernels (a disposed or different memory)`);
    this.checkLive();
  }

  free(): void {
    if (this.freed) return;
    this.freed = true;
    const arrays: ArrayBufferView[] = [this.rowPtr, this.pairs];
    if (this.csc) arrays.push(this.csc.colPtr, this.csc.pairs, this.csc.next);
    for (const array of [this.bytes, this.table, this.dense]) if (array) arrays.push(array);
    for (const array of arrays) this.runtime.allocator.free(array.byteOffset);
  }

  private finishSet(rows: number, fromBytes: boolean): void {
    this.rows = rows;
    this.nonzeros = this.rowPtr[rows]!;
    this.columnsReady = false;
    this.fromBytes = fromBytes;
  }

  /** Threads for a build over `elements` inputs in `rows` rows. */
  private buildThreads(elements: number, rows: number): number {
    if (elements < PARALLEL_ELEMENTS) return 1;
    if (this.width !== undefined) {
      const nonzeros = this.rows > 0 ? (this.nonzeros / this.rows) * rows : elements;
      if (2 * nonzeros * this.width < SPARSE_PARALLEL_FLOPS) return 1;
    }
    return Math.min(this.runtime.threadsAvailable(this.threads), rows);
  }

  private checkRows(rows: number): void {
    this.checkLive();
    if (!Number.isInteger(rows) || rows < 0 || rows > this.capacityRows) throw new Error(`rows must be an integer in 0..${this.capacityRows}, got ${rows}`);
  }

  private checkLive(): void {
    if (this.freed) throw new Error("this SparseRows was freed");
  }

  private int32(length: number): Int32Array {
    const offset = this.runtime.allocator.alloc(4 * length);
    return new Int32Array(this.runtime.allocator.buffer, offset, length);
  }

  private float32(length: number): Float32Array {
    const offset = this.runtime.allocator.alloc(4 * length);
    return new Float32Array(this.runtime.allocator.buffer, offset, length);
  }

  private uint8(length: number): Uint8Array {
    const offset = this.runtime.allocator.alloc(length);
    return new Uint8Array(this.runtime.allocator.buffer, offset, length);
  }
}

/**
 * Bounds of `threads` consecutive ranges over [0, total), multiples of `unit` but the last, that
 * finish together when thread 0 builds a unit in time 1, a worker in `workerCost`, and a range
 * starting at b first counts [0, b) at COUNT_COST per unit.
 */
function splitRanges(total: number, threads: number, unit: number, workerCost = WORKER_COST): number[] {
  // With a finishing time C every bound is C times the bound for C = 1.
  const unscaled = [0, 1];
  for (let t = 1; t < threads; t++) unscaled.push(unscaled[t]! + (1 - COUNT_COST * unscaled[t]!) / workerCost);
  const scale = total / unscaled[threads]!;
  const bounds = [0];
  for (let t = 1; t < threads; t++) bounds.push(Math.max(bounds[t - 1]!, Math.min(total, Math.round((unscaled[t]! * scale) / unit) * unit)));
  bounds.push(total);
  return bounds;
}

export function checkCount(value: number, name: string): void {
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a non-negative integer, got ${value}`);
}
