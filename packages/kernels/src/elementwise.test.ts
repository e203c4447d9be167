import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Kernels, loadKernels } from "./index.ts";
import {
  expectSameBits, expectSameValues, fillRandom, referenceAddRowVector, referenceAxpby, referenceAxpy,
  referenceColumnSums, referenceRelu, referenceReluBackward, seededRandom,
} from "./reference.fixture.ts";

let kernels: Kernels;
beforeAll(async () => {
  kernels = await loadKernels({ threads: 1 });
});
afterAll(() => kernels.dispose());

const SPECIAL = [0, -0, 1, -1, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 1e-45, -1e-45, 3.4e38];
const LENGTHS = [0, 1, 3, 4, 5, 15, 16, 17, 63, 1000];
/** rows × cols around the 16- and 4-column blocks. */
const MATRICES: [number, number][] = [[0, 5], [3, 0], [1, 1], [2, 3], [5, 4], [7, 15], [3, 16], [9, 17], [4, 33], [256, 10], [31, 256]];

function random(length: number, seed: number, withSpecial = false): Float32Array {
  const array = fillRandom(kernels.allocFloat32(length), seededRandom(seed), 0.2);
  if (withSpecial) for (let i = 0; i < length; i += 3) array[i] = SPECIAL[(i / 3) % SPECIAL.length]!;
  return array;
}

describe("relu and reluBackward", () => {
  it.each(LENGTHS)("match the reference for n=%i, with NaN, ±0, ±Inf and subnormals", (n) => {
    const x = random(n, n, true);
    const out = random(n, n + 1);
    const expected = new Float32Array(n);
    referenceRelu(expected, x, n);
    kernels.relu(out, x, n);
    expectSameValues(out, expected);

    const grad = random(n, n + 2, true);
    for (const accumulate of [false, true]) {
      const gradOut = random(n, n + 3);
      const expectedGrad = Float32Array.from(gradOut);
      referenceReluBackward(expectedGrad, x, grad, n, accumulate);
      kernels.reluBackward(gradOut, x, grad, n, accumulate);
      expectSameValues(gradOut, expectedGrad);
    }
  });

  it("run in place", () => {
    const x = random(37, 5, true);
    const expected = new Float32Array(37);
    referenceRelu(expected, x, 37);
    kernels.relu(x, x, 37);
    expectSameValues(x, expected);
    expect(() => kernels.relu(x.subarray(1), x, 20)).toThrow(/out must not overlap x/);
  });
});

describe("reluBackwardColumnSums", () => {
  it.each(MATRICES)("gives reluBackward's values and then columnSums' sums, bit for bit (%i×%i, with NaN, ±0, ±Inf)", (rows, cols) => {
    const n = rows * cols;
    const x = random(n, n + 7, true);
    const grad = random(n, n + 8, true);
    const out = random(n, n + 9);
    const sums = random(cols, n + 10);
    const [expected, expectedSums] = [kernels.allocFloat32(n), kernels.allocFloat32(cols)];
    kernels.reluBackward(expected, x, grad, n);
    kernels.columnSums(expectedSums, expected, rows, cols);
    kernels.reluBackwardColumnSums(out, x, grad, rows, cols, sums);
    expectSameBits(out, expected);
    expectSameBits(sums, expectedSums);
    const reference = new Float32Array(n);
    referenceReluBackward(reference, x, grad, n, false);
    expectSameValues(out, reference);
  });

  it("runs in place on the gradient, and refuses sums that overlap the matrices", () => {
    const [rows, cols] = [9, 17];
    const x = random(rows * cols, 1, true);
    const grad = random(rows * cols, 2, true);
    const expected = kernels.allocFloat32(rows * cols);
    const expectedSums = kernels.allocFloat32(cols);
    kernels.reluBackward(expected, x, grad, rows * cols);
    kernels.columnSums(expectedSums, expected, rows, cols);
    const sums = kernels.allocFloat32(cols);
    kernels.reluBackwardColumnSums(grad, x, grad, rows, cols, sums);
    expectSameBits(grad, expected);
    expectSameBits(sums, expectedSums);
    expect(() => kernels.reluBackwardColumnSums(grad, x, grad, rows, cols, grad.subarray(0, cols))).toThrow(/sums must not overlap out/);
  });
});

describe("axpy and axpby", () => {
  it.each(LENGTHS)("match the reference for n=%i with alpha and beta rounded to float32", (n) => {
    const x = random(n, 2 * n);
    const y = random(n, 2 * n + 1);
    const expected = Float32Array.from(y);
    referenceAxpy(expected, -0.1, x, n);
    kernels.axpy(y, -0.1, x, n);
    expectSameBits(y, expected);
    referenceAxpby(expected, 0.9, x, 1 / 3, n);
    kernels.axpby(y, 0.9, x, 1 / 3, n);
    expectSameBits(y, expected);
  });
});

describe("addRowVector and columnSums", () => {
  it.each(MATRICES)("match the reference for %i×%i", (rows, cols) => {
    const x = random(rows * cols, rows * 100 + cols);
    const v = random(cols, cols);
    const expected = Float32Array.from(x);
    referenceAddRowVector(expected, v, rows, cols);
    // Out of place first (x untouched), then in place.
    const out = random(rows * cols, 5);
    const before = Float32Array.from(x);
    kernels.addRowVector(x, v, rows, cols, out);
    expectSameBits(out, expected);
    expectSameBits(x, before);
    kernels.addRowVector(x, v, rows, cols);
    expectSameBits(x, expected);
    for (const accumulate of [false, true]) {
      const sums = random(cols, cols + 7);
      const expectedSums = Float32Array.from(sums);
      referenceColumnSums(expectedSums, x, rows, cols, accumulate);
      kernels.columnSums(sums, x, rows, cols, accumulate);
      expectSameBits(sums, expectedSums);
    }
  });

  it("leave elements past the matrix untouched", () => {
    const sums = kernels.allocFloat32(12).fill(7);
    kernels.columnSums(sums, kernels.allocFloat32(3 * 9).fill(1), 3, 9);
    expect(Array.from(sums)).toEqual([3, 3, 3, 3, 3, 3, 3, 3, 3, 7, 7, 7]);
  });
});

describe("exp", () => {
  it.each(LENGTHS)("is within one float32 ulp of fround(Math.exp(x)) for n=%i, and exact at the special values", (n) => {
    const x = random(n, n + 11);
    for (let i = 0; i < n; i++) x[i] = (x[i]! - 0.1) * 400; // about ±100: from underflow to 1e43 (Inf in float32)
    const out = kernels.allocFloat32(n);
    kernels.exp(out, x, n);
    for (let i = 0; i < n; i++) {
      const expected = Math.fround(Math.exp(x[i]!));
      if (!Number.isFinite(expected) || expected === 0) expect(out[i], `x = ${x[i]}`).toBe(expected);
      else expect(Math.abs(out[i]! - expected), `x = ${x[i]}`).toBeLessThanOrEqual(Math.max(2 ** -149, expected * 2 ** -23));
    }
  });

  it("maps NaN, ±Inf, ±0, the float32 extremes and the overflow edge as Math.exp does, in place too", () => {
    const specials = [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 0, -0, 1, -1, 88.72, 88.73, -87.3, -103.9, -104, 3.4e38, -3.4e38, 1e-45];
    const x = kernels.allocFloat32(specials.length);
    x.set(specials);
    const expected = Float32Array.from(x, (v) => Math.exp(v));
    kernels.exp(x, x, x.length);
    expectSameValues(x, expected);
  });
});
