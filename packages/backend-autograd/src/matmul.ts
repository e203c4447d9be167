import type { FloatArray } from "@crossprop/core";
import { allocBuffer } from "./buffer-pool.ts";
import { kernelMemoryHolding, type KernelMemory } from "./kernel-memory.ts";
import { Tensor } from "./tensor.ts";

/**
 * C = A @ B for A [n, k], B [k, m]. d/dA = G @ Bᵀ, d/dB = Aᵀ @ G.
 *
 * A is read sparsely: only its nonzero elements take part (A is usually a batch of pixels, 81% of
 * MNIST pixels are exactly 0, or ReLU outputs). Skipping a zero changes no sum (for finite B; a
 * dense product would turn 0·∞ into NaN), so it stays a general matmul, only faster on sparse A.
 * Rows of B and G are streamed contiguously, eight at a time per pass over a float64 accumulator
 * row; every sum is rounded to the dtype once. On the wasm engine (operands in kernel memory) the
 * kernels compute the same products in float32; see kernelMatmul.
 */
export function matmul(a: Tensor, b: Tensor): Tensor {
  if (a.shape.length !== 2 || b.shape.length !== 2 || a.shape[1] !== b.shape[0]) {
    throw new Error(`matmul: cannot multiply [${a.shape.join(", ")}] by [${b.shape.join(", ")}]`);
  }
  if (a.dtype !== b.dtype) throw new Error(`mixed dtypes: ${a.dtype} and ${b.dtype}`);
  const [n, k] = a.shape as [number, number];
  const m = b.shape[1]!;
  const memory = kernelMemoryHolding(a.nonzeros !== null ? b.data : a.data, b.data);
  if (memory !== null) return kernelMatmul(memory, a, b, n, k, m);
  const left = a.data;
  const right = b.data;
  const out = allocBuffer(a.dtype, n * m);
  const row = scratch.row(m);
  const columns = scratch.indices(k);
  const values = scratch.values(k);
  for (let i = 0; i < n; i++) {
    // C[i, :] = Σ_p A[i, p] · B[p, :] over the nonzero A[i, p].
    let count = 0;
    for (let p = 0, at = i * k; p < k; p++, at++) {
      const value = left[at]!;
      if (value !== 0) {
        columns[count] = p * m;
        values[count++] = value;
      }
    }
    row.fill(0, 0, m);
    combineRows(row, right, columns, values, 0, count, m);
    out.set(row.subarray(0, m), i * m);
  }
  return Tensor.fromOp("matmul", out, [n, m], [a, b], (grad) => {
    if (a.requiresGrad) accumulateGradLeft(a.gradBuffer(), grad, right, n, k, m);
    if (b.requiresGrad) accumulateGradRight(b.gradBuffer(), left, grad, n, k, m);
  });
}

/**
 * matmul by the kernels: C = A·B from A's nonzeros when it knows them (a batch of pixels), else
 * dense; backward dA += G·Bᵀ and dB += Aᵀ·G (Xᵀ·G over the nonzeros), accumulating into the grads.
 */
function kernelMatmul(memory: KernelMemory, a: Tensor, b: Tensor, n: number, k: number, m: number): Tensor {
  const { kernels } = memory;
  const nonzeros = a.nonzeros;
  const right = b.data as Float32Array;
  const out = allocBuffer("float32", n * m, false) as Float32Array;
  if (nonzeros !== null) kernels.sparseMatmul(out, nonzeros, right, m);
  else kernels.matmul(out, a.data as Float32Array, right, n, k, m);
  return Tensor.fromOp("matmul", out, [n, m], [a, b], (grad) => {
    const gradOut = grad as Float32Array;
    if (a.requiresGrad) {
      const target = memory.gradOf(a);
      kernels.matmulTransB(target.grad, gradOut, right, n, m, k, target.accumulate);
    }
    if (!b.requiresGrad) return;
    const target = memory.gradOf(b);
    if (nonzeros !== null) kernels.sparseMatmulTransA(target.grad, nonzeros, gradOut, m, target.accumulate);
    else kernels.matmulTransA(target.grad, a.data as Float32Array, gradOut, k, n, m, target.accumulate);
  });
}

/**
 * row[0..m) += Σ_{c in [from, to)} values[c] · source[starts[c] .. starts[c] + m), eight source
 * rows per pass (then four, then one): fewer loads and stores of `row` per multiply-add.
 */
function combineRows(row: Float64Array, source: FloatArray, starts: Int32Array, values: Float64Array, from: number, to: number, m: number): void {
  let c = from;
  for (; c + 7 < to; c += 8) {
    const r0 = starts[c]!, r1 = starts[c + 1]!, r2 = starts[c + 2]!, r3 = starts[c + 3]!;
    const r4 = starts[c + 4]!, r5 = starts[c + 5]!, r6 = starts[c + 6]!, r7 = starts[c + 7]!;
    const v0 = values[c]!, v1 = values[c + 1]!, v2 = values[c + 2]!, v3 = values[c + 3]!;
    const v4 = values[c + 4]!, v5 = values[c + 5]!, v6 = values[c + 6]!, v7 = values[c + 7]!;
    for (let j = 0; j < m; j++) {
      row[j] +=
        v0 * source[r0 + j]! + v1 * source[r1 + j]! + v2 * source[r2 + j]! + v3 * source[r3 + j]! +
        v4 * source[r4 + j]! + v5 * source[r5 + j]! + v6 * source[r6 + j]! + v7 * source[r7 + j]!;
    }
  }
  for (; c + 3 < to; c += 4) {
    const r0 = starts[c]!, r1 = starts[c + 1]!, r2 = starts[c + 2]!, r3 = starts[c + 3]!;
    const v0 = values[c]!, v1 = values[c + 1]!, v2 = values[c + 2]!, v3 = values[c + 3]!;
    for (let j = 0; j < m; j++) row[j] += v0 * source[r0 + j]! + v1 * source[r1 + j]! + v2 * source[r2 + j]! + v3 * source[r3 + j]!;
  }
  for (; c < to; c++) {
    const r = starts[c]!;
    const v = values[c]!;
    for (let j = 0; j < m; j++) row[j] += v * source[r + j]!;
  }
}

/**
 * dA[i, :] += Σ_j G[i, j] · Bᵀ[j, :]: B is transposed once so that each row of dA is a combination
 * of contiguous rows of Bᵀ (k long), which streams well even when m is small (the 10 logits).
 */
function accumulateGradLeft(gradA: FloatArray, grad: FloatArray, right: FloatArray, n: number, k: number, m: number): void {
  // Same array type as B: the shared kernel then sees one element kind per dtype and stays fast.
  const transposed = right instanceof Float64Array ? scratch.transposed64(k * m) : scratch.transposed32(k * m);
  for (let p = 0; p < k; p++) for (let j = 0; j < m; j++) transposed[j * k + p] = right[p * m + j]!;
  const row = scratch.row(k);
  const starts = scratch.indices(m);
  const values = scratch.values(m);
  for (let i = 0; i < n; i++) {
    let count = 0;
    for (let j = 0, at = i * m; j < m; j++, at++) {
      const value = grad[at]!;
      if (value !== 0) {
        starts[count] = j * k;
        values[count++] = value;
      }
    }
    row.fill(0, 0, k);
    combineRows(row, transposed, starts, values, 0, count, k);
    for (let p = 0, at = i * k; p < k; p++, at++) gradA[at] += row[p]!;
  }
}

/**
 * dB[p, :] += Σ_i A[i, p] · G[i, :] over the nonzero A[i, p]. A is first regrouped by column
 * (a counting sort of its nonzeros), so each row of dB is summed once, from contiguous rows of G.
 */
function accumulateGradRight(gradB: FloatArray, left: FloatArray, grad: FloatArray, n: number, k: number, m: number): void {
  const columnEnds = scratch.indices(k + 1); // after the fill below: where column p's entries end
  columnEnds.fill(0, 0, k + 1);
  for (let i = 0, e = 0; i < n; i++) for (let p = 1; p <= k; p++, e++) if (left[e] !== 0) columnEnds[p]++;
  for (let p = 0; p < k; p++) columnEnds[p + 1] += columnEnds[p]!;
  const total = columnEnds[k]!;
  const rows = scratch.entries(total);
  const values = scratch.entryValues(total);
  for (let i = 0, e = 0; i < n; i++) {
    for (let p = 0; p < k; p++, e++) {
      const value = left[e]!;
      if (value === 0) continue;
      const slot = columnEnds[p]++; // columnEnds[p] walks from column p's start to its end
      rows[slot] = i * m;
      values[slot] = value;
    }
  }
  const row = scratch.row(m);
  for (let p = 0, start = 0; p < k; p++) {
    const end = columnEnds[p]!;
    if (end === start) continue;
    row.fill(0, 0, m);
    combineRows(row, grad, rows, values, start, end, m);
    for (let j = 0, at = p * m; j < m; j++, at++) gradB[at] += row[j]!;
    start = end;
  }
}

/**
 * Working arrays, grown on demand and reused by every matmul. Each is used only inside one
 * synchronous call and never captured, so sharing them across calls is safe.
 */
const scratch = (() => {
  let row = new Float64Array(0);
  let indices = new Int32Array(0);
  let values = new Float64Array(0);
  let entries = new Int32Array(0);
  let entryValues = new Float64Array(0);
  let transposed32 = new Float32Array(0);
  let transposed64 = new Float64Array(0);
  return {
    row: (length: number) => (row.length >= length ? row : (row = new Float64Array(length))),
    indices: (length: number) => (indices.length >= length ? indices : (indices = new Int32Array(length))),
    values: (length: number) => (values.length >= length ? values : (values = new Float64Array(length))),
    entries: (length: number) => (entries.length >= length ? entries : (entries = new Int32Array(length))),
    entryValues: (length: number) => (entryValues.length >= length ? entryValues : (entryValues = new Float64Array(length))),
    transposed32: (length: number) => (transposed32.length >= length ? transposed32 : (transposed32 = new Float32Array(length))),
    transposed64: (length: number) => (transposed64.length >= length ? transposed64 : (transposed64 = new Float64Array(length))),
  };
})();
