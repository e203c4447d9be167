// Loads the committed wasm/kernels.wasm from disk (no network, no build at run time) and
// instantiates it on a shared memory. The module is compiled once per thread and shared with workers.
import { readFile } from "node:fs/promises";
import { setFlagsFromString } from "node:v8";

export const WASM_URL = new URL("../wasm/kernels.wasm", import.meta.url);
export const PAGE_BYTES = 65536;
/** 2 GiB: the maximum the module declares (scripts/build.ts MAXIMUM_PAGES). */
export const MAXIMUM_PAGES = 32768;
export const INITIAL_PAGES = 64;

/** The module's exports; pointers are byte offsets into the shared memory. */
export interface KernelExports {
  runTask(task: number, begin: number, end: number): void;
  transpose(dst: number, src: number, rows: number, cols: number): void;
  transposeCompressed(
    rows: number, cols: number, ptr: number, pairs: number, scaleIn: number,
    colPtr: number, pairsOut: number, scaleOut: number, next: number,
  ): void;
  softmaxCrossEntropy(logits: number, labels: number, rows: number, classes: number, factor: number, grad: number, exps: number): number;
  firstBadLabel(labels: number, rows: number, classes: number): number;
  zerosPastFirst(table: number): number;
  sumFloat64(values: number, count: number): number;
}

/** Task op codes, read from the module's exported constants (assembly/index.ts is their one source). */
export interface Ops {
  taskWords: number;
  gemm: number;
  spmm: number;
  addRowVector: number;
  columnSums: number;
  relu: number;
  reluBackward: number;
  axpy: number;
  axpby: number;
  spmmPanels: number;
  compressBytes: number;
  compressFloats: number;
  transposeBytes: number;
  scatterTransA: number;
  exp: number;
  softmaxRows: number;
  reluBackwardSums: number;
  columnOp: number;
  rowSums: number;
  rowMax: number;
  addProducts: number;
  /** columnOp's ops (add, sub, mul) and rowSums' modes (store, add, subtract), as assembly/rows.ts numbers them. */
  columnOps: { add: number; sub: number; mul: number };
  rowSumModes: { store: number; add: number; subtract: number };
  /** Bytes per packed panel row, the scale of stored offsets (assembly/spmm.ts). */
  panelStride: number;
  /** Bytes per panel plan entry, and per thread share of a panel product. */
  planEntry: number;
  shareEntry: number;
}

let compiled: Promise<WebAssembly.Module> | undefined;

/**
 * The compiled kernels module (compiled on first use), every function by V8's optimizing compiler
 * before this resolves, as a native library arrives compiled. V8's default compiles each function
 * at its first call with its baseline compiler and recompiles the hot ones in the background: in a
 * run that was ≈10 ms of the first step plus compiles during the first epoch on a third thread
 * competing with the step's two. Compiling the 28 KB module up front takes 10–13 ms, before training.
 * The two flags are V8's; they are restored as soon as this module is compiled (unless node was
 * started with them), so other modules (tfjs's) compile as they would.
 */
export function compileKernels(): Promise<WebAssembly.Module> {
  compiled ??= readFile(WASM_URL).then(async (bytes) => {
    const restore = AHEAD_OF_TIME_FLAGS.filter(([, chosen]) => !startedWith(chosen));
    for (const [, chosen] of restore) setFlagsFromString(chosen);
    try {
      return await WebAssembly.compile(bytes);
    } finally {
      for (const [usual] of restore) setFlagsFromString(usual);
    }
  });
  return compiled;
}

/** [V8's default, the flag compileKernels compiles under]. */
const AHEAD_OF_TIME_FLAGS = [
  ["--liftoff", "--no-liftoff"],
  ["--wasm-lazy-compilation", "--no-wasm-lazy-compilation"],
] as const;

/** Whether node was started with `flag` (on its command line or in NODE_OPTIONS). */
function startedWith(flag: string): boolean {
  const options = (process.env.NODE_OPTIONS ?? "").split(/\s+/);
  return process.execArgv.includes(flag) || options.includes(flag);
}

export function createMemory(): WebAssembly.Memory {
  return new WebAssembly.Memory({ initial: INITIAL_PAGES, maximum: MAXIMUM_PAGES, shared: true });
}

export function instantiate(module: WebAssembly.Module, memory: WebAssembly.Memory): { exports: KernelExports; ops: Ops } {
  const instance = new WebAssembly.Instance(module, { env: { memory } });
  const raw = instance.exports as Record<string, unknown>;
  const constant = (name: string): number => {
    const global = raw[name];
    if (!(global instanceof WebAssembly.Global)) throw new Error(`kernels.wasm does not export ${name}`);
    return global.value as number;
  };
  const ops: Ops = {
    taskWords: constant("TASK_WORDS"),
    gemm: constant("OP_GEMM"),
    spmm: constant("OP_SPMM"),
    addRowVector: constant("OP_ADD_ROW_VECTOR"),
    columnSums: constant("OP_COLUMN_SUMS"),
    relu: constant("OP_RELU"),
    reluBackward: constant("OP_RELU_BACKWARD"),
    axpy: constant("OP_AXPY"),
    axpby: constant("OP_AXPBY"),
    spmmPanels: constant("OP_SPMM_PANELS"),
    compressBytes: constant("OP_COMPRESS_BYTES"),
    compressFloats: constant("OP_COMPRESS_FLOATS"),
    transposeBytes: constant("OP_TRANSPOSE_BYTES"),
    scatterTransA: constant("OP_SCATTER_TRANS_A"),
    exp: constant("OP_EXP"),
    softmaxRows: constant("OP_SOFTMAX_ROWS"),
    reluBackwardSums: constant("OP_RELU_BACKWARD_SUMS"),
    columnOp: constant("OP_COLUMN_OP"),
    rowSums: constant("OP_ROW_SUMS"),
    rowMax: constant("OP_ROW_MAX"),
    addProducts: constant("OP_ADD_PRODUCTS"),
    columnOps: { add: constant("COLUMN_ADD"), sub: constant("COLUMN_SUB"), mul: constant("COLUMN_MUL") },
    rowSumModes: { store: constant("ROW_SUMS_STORE"), add: constant("ROW_SUMS_ADD"), subtract: constant("ROW_SUMS_SUBTRACT") },
    panelStride: constant("PANEL_STRIDE"),
    planEntry: constant("PLAN_ENTRY"),
    shareEntry: constant("SHARE_ENTRY"),
  };
  return { exports: instance.exports as unknown as KernelExports, ops };
}
