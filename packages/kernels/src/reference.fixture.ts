// Scalar float32 references in JavaScript: every operation rounded with Math.fround in the order
// the kernels promise (sums from 0, k ascending, product rounded before the sum). A double product
// of two floats is exact and a double sum of two floats rounds to the correctly rounded float sum,
// so these equal true f32 arithmetic bit for bit. Tests compare kernels with them bytewise.
import { expect } from "vitest";

const f = Math.fround;

/** out[m×n] = a·b (+ out when accumulating); a(i, kk) = a[i·aRow + kk·aK], b(kk, j) = b[kk·bK + j·bCol]. */
function product(
  out: Float32Array, a: ArrayLike<number>, b: ArrayLike<number>, m: number, k: number, n: number, accumulate: boolean,
  aRow: number, aK: number, bK: number, bCol: number, skipZeros = false,
): void {
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let acc = 0;
      for (let kk = 0; kk < k; kk++) {
        const x = a[i * aRow + kk * aK]!;
        if (skipZeros && x === 0) continue;
        acc = f(acc + f(x * b[kk * bK + j * bCol]!));
      }
      out[i * n + j] = accumulate ? f(out[i * n + j]! + acc) : acc;
    }
  }
}

export function referenceMatmul(out: Float32Array, a: ArrayLike<number>, b: ArrayLike<number>, m: number, k: number, n: number, accumulate = false): void {
  product(out, a, b, m, k, n, accumulate, k, 1, n, 1);
}

/** a stored [k×m]. */
export function referenceMatmulTransA(out: Float32Array, a: ArrayLike<number>, b: ArrayLike<number>, m: number, k: number, n: number, accumulate = false): void {
  product(out, a, b, m, k, n, accumulate, 1, m, n, 1);
}

/** b stored [n×k]. */
export function referenceMatmulTransB(out: Float32Array, a: ArrayLike<number>, b: ArrayLike<number>, m: number, k: number, n: number, accumulate = false): void {
  product(out, a, b, m, k, n, accumulate, k, 1, 1, k);
}

/** X·b over X's nonzeros only (x dense [rows×columns]). */
export function referenceSparseMatmul(out: Float32Array, x: ArrayLike<number>, rows: number, columns: number, b: ArrayLike<number>, n: number, accumulate = false): void {
  product(out, x, b, rows, columns, n, accumulate, columns, 1, n, 1, true);
}

/** Xᵀ·d over X's nonzeros only, rows ascending. */
export function referenceSparseMatmulTransA(out: Float32Array, x: ArrayLike<number>, rows: number, columns: number, d: ArrayLike<number>, n: number, accumulate = false): void {
  product(out, x, d, columns, rows, n, accumulate, 1, columns, n, 1, true);
}

export function referenceAddRowVector(x: Float32Array, v: ArrayLike<number>, rows: number, cols: number): void {
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) x[i * cols + j] = f(x[i * cols + j]! + v[j]!);
}

export function referenceColumnSums(out: Float32Array, x: ArrayLike<number>, rows: number, cols: number, accumulate = false): void {
  for (let j = 0; j < cols; j++) {
    let acc = 0;
    for (let i = 0; i < rows; i++) acc = f(acc + x[i * cols + j]!);
    out[j] = accumulate ? f(out[j]! + acc) : acc;
  }
}

export function referenceRelu(out: Float32Array, x: ArrayLike<number>, n: number): void {
  for (let i = 0; i < n; i++) out[i] = x[i]! > 0 ? x[i]! : 0;
}

export function referenceReluBackward(out: Float32Array, x: ArrayLike<number>, grad: ArrayLike<number>, n: number, accumulate = false): void {
  for (let i = 0; i < n; i++) {
    const g = x[i]! > 0 ? grad[i]! : 0;
    out[i] = accumulate ? f(out[i]! + g) : g;
  }
}

export function referenceAxpy(y: Float32Array, alpha: number, x: ArrayLike<number>, n: number): void {
  const a = f(alpha);
  for (let i = 0; i < n; i++) y[i] = f(y[i]! + f(a * x[i]!));
}

export function referenceAxpby(y: Float32Array, alpha: number, x: ArrayLike<number>, beta: number, n: number): void {
  const a = f(alpha);
  const b = f(beta);
  for (let i = 0; i < n; i++) y[i] = f(f(a * x[i]!) + f(b * y[i]!));
}

/** A seeded generator (mulberry32) of floats in [0, 1). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fills `array` with signed values spread over magnitudes 2^-6..2^6 (rounding matters), some exact zeros. */
export function fillRandom(array: Float32Array, random: () => number, zeroFraction = 0.1): Float32Array {
  for (let i = 0; i < array.length; i++) {
    array[i] = random() < zeroFraction ? 0 : (random() - 0.5) * 2 ** Math.floor(random() * 12 - 6);
  }
  return array;
}

/** Asserts the same float32 bits element by element, naming the first difference. */
export function expectSameBits(actual: Float32Array, expected: Float32Array): void {
  expect(actual.length).toBe(expected.length);
  const a = new Uint32Array(actual.buffer, actual.byteOffset, actual.length);
  const e = new Uint32Array(expected.buffer, expected.byteOffset, expected.length);
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== e[i]) expect.fail(`element ${i}: got ${actual[i]} (0x${a[i]!.toString(16)}), expected ${expected[i]} (0x${e[i]!.toString(16)})`);
  }
}

/** Asserts Object.is equality element by element (NaN equals NaN whatever its payload; -0 ≠ +0). */
export function expectSameValues(actual: Float32Array, expected: Float32Array): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < actual.length; i++) {
    if (!Object.is(actual[i], expected[i])) expect.fail(`element ${i}: got ${actual[i]}, expected ${expected[i]}`);
  }
}
