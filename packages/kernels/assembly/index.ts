// The module's entry: one task dispatcher that every thread calls with its own range, plus the
// single-threaded helpers. A task is TASK_WORDS 32-bit words in shared memory: the op, then its
// arguments (pointers are byte offsets, flags 0/1, alpha/beta as f32 bits).
import { gemmRows } from "./gemm";
import { spmmPanels, spmmRows } from "./spmm";
import { compressBytes, compressFloats, transposeBytes } from "./compress";
import { scatterTransA } from "./scatter";
import { addRowVector, axpby, axpy, columnSums, exp, relu, reluBackward, reluBackwardSums } from "./elementwise";
import { softmaxRows } from "./softmax";
import { addProducts, columnOp, rowMax, rowSums } from "./rows";

export { transpose } from "./gemm";
export { transposeCompressed } from "./compress";
export { softmaxCrossEntropy } from "./softmax";
export { firstBadLabel, sumFloat64, zerosPastFirst } from "./checks";
export { PANEL_STRIDE, PLAN_ENTRY, SHARE_ENTRY } from "./spmm";
export { COLUMN_ADD, COLUMN_MUL, COLUMN_SUB, ROW_SUMS_ADD, ROW_SUMS_STORE, ROW_SUMS_SUBTRACT } from "./rows";

export const TASK_WORDS: i32 = 16;
/** out, a, rowStride, kStride, b, k, n, accumulate; range over output rows. */
export const OP_GEMM: i32 = 1;
/** out, ptr, pairs, b, n, accumulate, scale; range over output rows. */
export const OP_SPMM: i32 = 2;
/** out, x, v, cols; range over rows. */
export const OP_ADD_ROW_VECTOR: i32 = 3;
/** out, x, rows, cols, accumulate; range over columns. */
export const OP_COLUMN_SUMS: i32 = 4;
/** out, x; range over elements. */
export const OP_RELU: i32 = 5;
/** out, x, grad, accumulate; range over elements. */
export const OP_RELU_BACKWARD: i32 = 6;
/** y, x, alpha; range over elements. */
export const OP_AXPY: i32 = 7;
/** y, x, alpha, beta; range over elements. */
export const OP_AXPBY: i32 = 8;
/** out, ptr, pairs, b, n, k, accumulate, plan, shares, scratch, bias, activated (0: none); range over shares. */
export const OP_SPMM_PANELS: i32 = 9;
/** bytes, cols, table, exact, ptr, pairs, scale; range over rows. */
export const OP_COMPRESS_BYTES: i32 = 10;
/** x, cols, ptr, pairs, scale; range over rows. */
export const OP_COMPRESS_FLOATS: i32 = 11;
/** bytes, rows, cols, table, colPtr, pairs, scale, next; range over columns. */
export const OP_TRANSPOSE_BYTES: i32 = 12;
/** out, ptr, pairs, d, n, k, accumulate, work, rows; one thread (the range is ignored). */
export const OP_SCATTER_TRANS_A: i32 = 13;
/** out, x; range over elements. */
export const OP_EXP: i32 = 14;
/** logits, labels, classes, factor (an f64: low word, high word), grad, exps, losses; range over rows. */
export const OP_SOFTMAX_ROWS: i32 = 15;
/** out, x, grad, sums, rows, cols; range over columns. */
export const OP_RELU_BACKWARD_SUMS: i32 = 16;
/** out, x, c, cols, op; range over rows. */
export const OP_COLUMN_OP: i32 = 17;
/** out, x, cols, mode; range over rows. */
export const OP_ROW_SUMS: i32 = 18;
/** out, index, x, cols; range over rows. */
export const OP_ROW_MAX: i32 = 19;
/** y, a, b; range over elements. */
export const OP_ADD_PRODUCTS: i32 = 20;

@inline
function word(task: usize, i: i32): usize {
  return <usize>load<u32>(task + (<usize>(i + 1) << 2));
}

@inline
function real(task: usize, i: i32): f32 {
  return load<f32>(task + (<usize>(i + 1) << 2));
}

/** Runs the task at `task` over [begin, end) of its range. */
export function runTask(task: usize, begin: i32, end: i32): void {
  const op = load<i32>(task);
  if (op == OP_GEMM) {
    gemmRows(word(task, 0), word(task, 1), word(task, 2), word(task, 3), word(task, 4), <i32>word(task, 5), <i32>word(task, 6), word(task, 7) != 0, begin, end);
  } else if (op == OP_SPMM_PANELS) {
    spmmPanels(
      word(task, 0), word(task, 1), word(task, 2), word(task, 3), <i32>word(task, 4), <i32>word(task, 5), word(task, 6) != 0,
      word(task, 7), word(task, 8), word(task, 9), word(task, 10), word(task, 11), begin, end,
    );
  } else if (op == OP_SPMM) {
    spmmRows(word(task, 0), word(task, 1), word(task, 2), word(task, 3), <i32>word(task, 4), word(task, 5) != 0, <u32>word(task, 6), begin, end);
  } else if (op == OP_ADD_ROW_VECTOR) {
    addRowVector(word(task, 0), word(task, 1), word(task, 2), <i32>word(task, 3), begin, end);
  } else if (op == OP_COLUMN_SUMS) {
    columnSums(word(task, 0), word(task, 1), <i32>word(task, 2), <i32>word(task, 3), word(task, 4) != 0, begin, end);
  } else if (op == OP_EXP) {
    exp(word(task, 0), word(task, 1), begin, end);
  } else if (op == OP_RELU) {
    relu(word(task, 0), word(task, 1), begin, end);
  } else if (op == OP_RELU_BACKWARD) {
    reluBackward(word(task, 0), word(task, 1), word(task, 2), word(task, 3) != 0, begin, end);
  } else if (op == OP_AXPY) {
    axpy(word(task, 0), word(task, 1), real(task, 2), begin, end);
  } else if (op == OP_AXPBY) {
    axpby(word(task, 0), word(task, 1), real(task, 2), real(task, 3), begin, end);
  } else if (op == OP_COMPRESS_BYTES) {
    compressBytes(word(task, 0), <i32>word(task, 1), word(task, 2), word(task, 3) != 0, word(task, 4), word(task, 5), <u32>word(task, 6), begin, end);
  } else if (op == OP_COMPRESS_FLOATS) {
    compressFloats(word(task, 0), <i32>word(task, 1), word(task, 2), word(task, 3), <u32>word(task, 4), begin, end);
  } else if (op == OP_TRANSPOSE_BYTES) {
    transposeBytes(
      word(task, 0), <i32>word(task, 1), <i32>word(task, 2), word(task, 3), word(task, 4), word(task, 5), <u32>word(task, 6), word(task, 7),
      begin, end,
    );
  } else if (op == OP_COLUMN_OP) {
    columnOp(word(task, 0), word(task, 1), word(task, 2), <i32>word(task, 3), <i32>word(task, 4), begin, end);
  } else if (op == OP_ROW_SUMS) {
    rowSums(word(task, 0), word(task, 1), <i32>word(task, 2), <i32>word(task, 3), begin, end);
  } else if (op == OP_ROW_MAX) {
    rowMax(word(task, 0), word(task, 1), word(task, 2), <i32>word(task, 3), begin, end);
  } else if (op == OP_ADD_PRODUCTS) {
    addProducts(word(task, 0), word(task, 1), word(task, 2), begin, end);
  } else if (op == OP_RELU_BACKWARD_SUMS) {
    reluBackwardSums(word(task, 0), word(task, 1), word(task, 2), word(task, 3), <i32>word(task, 4), <i32>word(task, 5), begin, end);
  } else if (op == OP_SOFTMAX_ROWS) {
    softmaxRows(word(task, 0), word(task, 1), <i32>word(task, 2), <u32>word(task, 3), <u32>word(task, 4), word(task, 5), word(task, 6), word(task, 7), begin, end);
  } else if (op == OP_SCATTER_TRANS_A) {
    scatterTransA(word(task, 0), word(task, 1), word(task, 2), word(task, 3), <i32>word(task, 4), <i32>word(task, 5), word(task, 6) != 0, word(task, 7), <i32>word(task, 8));
  } else {
    unreachable();
  }
}
