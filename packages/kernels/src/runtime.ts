// The process-wide kernels state: one shared memory with its allocator, the module instantiated
// on this thread, one task block and the worker pool. Every Kernels handle from loadKernels shares
// it; the pool keeps as many workers as the most threaded live handle needs, and when the last
// handle is disposed the workers stop and the state is dropped (its memory is then collectable).
import { Allocator } from "./allocator.ts";
import { compileKernels, createMemory, instantiate, type KernelExports, type Ops } from "./loader.ts";
import { MAX_WORKERS, WorkerPool } from "./pool.ts";

/**
 * Products below this many FLOPs (≈ 2 µs on one core) run on the calling thread alone. Measured
 * here: a round trip to a spinning worker costs ≈ 0.4 µs, so 2 threads already win from ≈ 50 kFLOP;
 * the margin covers a worker that fell asleep (≈ 13 µs to wake) after a pause.
 */
export const PARALLEL_FLOPS = 100_000;
/**
 * Sparse products below this many FLOPs run on the calling thread alone: every thread of a split
 * reads all of X's nonzeros (or packs all of b), so a small product gains less than it pays
 * (the linear model's X·W, 0.8 MFLOP, measured faster on one thread).
 */
export const SPARSE_PARALLEL_FLOPS = 4_000_000;
/** Elementwise calls (and sparse builds) below this many elements (≈ 4 µs) run on the calling thread alone. */
export const PARALLEL_ELEMENTS = 1 << 15;

/** The allocator starts above the module's (empty) static data; byte 0 stays unused. */
const HEAP_START = 1024;
export const MAX_THREADS = MAX_WORKERS + 1;

export interface Handle {
  readonly threads: number;
}

export class Runtime {
  readonly allocator: Allocator;
  readonly task: number;
  /** The task block's words (op, then arguments) and the same bytes as float32. */
  readonly taskWords: Int32Array;
  readonly taskReals: Float32Array;
  readonly pool: WorkerPool;
  readonly handles = new Set<Handle>();
  private scratchOffset = 0;
  private scratchBytes = 0;

  constructor(
    module: WebAssembly.Module,
    readonly memory: WebAssembly.Memory,
    readonly exports: KernelExports,
    readonly ops: Ops,
  ) {
    this.allocator = new Allocator(memory, HEAP_START);
    this.task = this.allocator.alloc(4 * ops.taskWords);
    this.taskWords = new Int32Array(this.allocator.buffer, this.task, ops.taskWords);
    this.taskReals = new Float32Array(this.allocator.buffer, this.task, ops.taskWords);
    this.pool = new WorkerPool(module, memory, this.task);
  }

  /** A scratch block of at least `bytes` (contents undefined), kept and grown across calls. */
  scratch(bytes: number): number {
    if (bytes > this.scratchBytes) {
      if (this.scratchBytes > 0) this.allocator.free(this.scratchOffset);
      this.scratchBytes = Math.max(bytes, 2 * this.scratchBytes);
      this.scratchOffset = this.allocator.alloc(this.scratchBytes, false);
    }
    return this.scratchOffset;
  }

  /** Writes the task block: the op, then its arguments (integers; see assembly/index.ts). */
  setTask(op: number, a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0, a5 = 0, a6 = 0, a7 = 0, a8 = 0, a9 = 0, a10 = 0, a11 = 0): void {
    const words = this.taskWords;
    words[0] = op;
    words[1] = a0;
    words[2] = a1;
    words[3] = a2;
    words[4] = a3;
    words[5] = a4;
    words[6] = a5;
    words[7] = a6;
    words[8] = a7;
    words[9] = a8;
    words[10] = a9;
    words[11] = a10;
    words[12] = a11;
  }

  /**
   * Runs the task over chunks [bounds[c], bounds[c + 1]) (bounds ascending, `chunks` + 1 of them) on
   * up to `threads` threads, this one included: it runs chunk 0, then every thread claims the rest.
   */
  runChunks(bounds: ArrayLike<number>, chunks = bounds.length - 1, threads = chunks): void {
    const helpers = Math.min(threads - 1, chunks - 1, this.pool.size);
    if (helpers <= 0) {
      for (let c = 0; c < chunks; c++) this.exports.runTask(this.task, bounds[c]!, bounds[c + 1]!);
      return;
    }
    this.pool.run(bounds, chunks, helpers, this.exports.runTask);
  }

  /** Threads a call may use at most: `wanted`, within the pool a disposed handle may have shrunk. */
  threadsAvailable(wanted: number): number {
    return Math.max(1, Math.min(wanted, this.pool.size + 1));
  }

  /** Workers the live handles need: threads beyond the calling one. */
  workersNeeded(): number {
    let threads = 1;
    for (const handle of this.handles) threads = Math.max(threads, handle.threads);
    return threads - 1;
  }
}

let shared: Promise<Runtime> | undefined;
let current: Runtime | undefined;

export function acquireRuntime(): Promise<Runtime> {
  shared ??= compileKernels().then((module) => {
    const memory = createMemory();
    const { exports, ops } = instantiate(module, memory);
    current = new Runtime(module, memory, exports, ops);
    return current;
  });
  return shared;
}

/** Registers `handle` and grows the pool for it. */
export async function attach(runtime: Runtime, handle: Handle): Promise<void> {
  runtime.handles.add(handle);
  try {
    await runtime.pool.resize(Math.max(runtime.pool.size, runtime.workersNeeded()));
  } catch (error) {
    runtime.handles.delete(handle);
    throw error;
  }
}

/** Unregisters `handle`: shrinks the pool to what the rest need, or stops it and drops the state. */
export function detach(runtime: Runtime, handle: Handle): void {
  if (!runtime.handles.delete(handle)) return;
  if (runtime.handles.size > 0) {
    void runtime.pool.resize(runtime.workersNeeded());
    return;
  }
  runtime.pool.dispose();
  if (current === runtime) {
    current = undefined;
    shared = undefined;
  }
}
