// The per-row kernels (assembly/rows.ts) against the JavaScript loops they stand in for, bit for
// bit: each loop below is what @crossprop/backend-autograd's TypeScript engine runs on float32 arrays.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Kernels, loadKernels } from "./index.ts";
import { expectSameValues, fillRandom, seededRandom } from "./reference.fixture.ts";

let one: Kernels;
let two: Kernels;
beforeAll(async () => {
  [one, two] = await Promise.all([loadKernels({ threads: 1 }), loadKernels({ threads: 2 })]);
});
afterAll(() => {
  one.dispose();
  two.dispose();
});

const SPECIAL = [0, -0, 1, -1, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 1e-45, -1e-45, 3.4e38, -3.4e38];
/** rows × cols: a loss's 256×10, odd widths for the scalar tails, and one large enough to split over threads. */
const MATRICES: [number, number][] = [[0, 3], [1, 1], [3, 1], [2, 5], [5, 4], [7, 9], [256, 10], [300, 257]];

function random(kernels: Kernels, length: number, seed: number, withSpecial = false): Float32Array {
  const array = fillRandom(kernels.allocFloat32(length), seededRandom(seed), 0.2);
  if (withSpecial) for (let i = 0; i < length; i += 3) array[i] = SPECIAL[(i / 3) % SPECIAL.length]!;
  return array;
}

describe.each([1, 2])("row kernels on %i thread(s)", (threads) => {
  const kernels = () => (threads === 1 ? one : two);

  it.each(MATRICES)("columnOp is x (op) c per row, as the loop computes it (%i×%i, with NaN, ±0, ±Inf)", (rows, cols) => {
    const k = kernels();
    const x = random(k, rows * cols, rows + cols, true);
    const c = random(k, rows, rows * cols + 1, true);
    for (const op of ["add", "sub", "mul"] as const) {
      const expected = new Float32Array(rows * cols);
      for (let r = 0; r < rows; r++) {
        for (let j = 0; j < cols; j++) {
          const a = x[r * cols + j]!, b = c[r]!;
          expected[r * cols + j] = op === "add" ? a + b : op === "sub" ? a - b : a * b;
        }
      }
      const out = k.allocFloat32(rows * cols);
      k.columnOp(out, x, c, rows, cols, op);
      expectSameValues(out, expected);
      const inPlace = Float32Array.from(x);
      const same = k.allocFloat32(rows * cols);
      same.set(inPlace);
      k.columnOp(same, same, c, rows, cols, op);
      expectSameValues(same, expected);
    }
  });

  it.each(MATRICES)("rowSums sums each row in float64 and stores, adds or subtracts it as the loops do (%i×%i)", (rows, cols) => {
    const k = kernels();
    const x = random(k, rows * cols, 7 * rows + cols, true);
    const before = random(k, rows, rows + 11, true);
    for (const mode of ["store", "add", "subtract"] as const) {
      const expected = Float32Array.from(before);
      for (let r = 0; r < rows; r++) {
        let total = 0;
        for (let j = 0; j < cols; j++) total += x[r * cols + j]!;
        if (mode === "store") expected[r] = total;
        else if (mode === "add") expected[r] += total;
        else expected[r] -= Math.fround(total);
      }
      const out = k.allocFloat32(rows);
      out.set(before);
      k.rowSums(out, x, rows, cols, mode);
      expectSameValues(out, expected);
    }
  });

  it("rowSums keeps the float64 sum: 2²⁴ + 1 + 1 is not rounded at each step", () => {
    const k = kernels();
    const x = k.allocFloat32(3);
    x.set([2 ** 24, 1, 1]);
    const out = k.allocFloat32(1);
    k.rowSums(out, x, 1, 3);
    expect(out[0]).toBe(2 ** 24 + 2);
  });

  it.each(MATRICES)("rowMax takes the first largest, as `value > best` does (%i×%i, with NaN, ties)", (rows, cols) => {
    if (cols === 0) return;
    const k = kernels();
    const x = random(k, rows * cols, 3 * rows + cols, true);
    for (let i = 1; i < x.length; i += 4) x[i] = x[i - 1]!; // ties
    const expectedValues = new Float32Array(rows);
    const expectedIndex = new Float32Array(rows);
    for (let r = 0; r < rows; r++) {
      let best = r * cols;
      let bestValue = x[best]!;
      for (let at = best + 1; at < (r + 1) * cols; at++) {
        if (x[at]! > bestValue) {
          best = at;
          bestValue = x[at]!;
        }
      }
      expectedValues[r] = bestValue;
      expectedIndex[r] = best;
    }
    const out = k.allocFloat32(rows);
    const index = k.allocFloat32(rows);
    k.rowMax(out, index, x, rows, cols);
    expectSameValues(out, expectedValues);
    expectSameValues(index, expectedIndex);
  });

  it.each([0, 1, 2, 3, 17, 2560, 70001])("addProducts is y += a·b in float64, rounded once (n=%i)", (n) => {
    const k = kernels();
    const a = random(k, n, n + 1, true);
    const b = random(k, n, n + 2, true);
    const y = random(k, n, n + 3, true);
    const expected = Float32Array.from(y);
    for (let i = 0; i < n; i++) expected[i] += a[i]! * b[i]!;
    k.addProducts(y, a, b, n);
    expectSameValues(y, expected);
  });
});

describe("row kernels' arguments", () => {
  it("name what is wrong", () => {
    const x = one.allocFloat32(12);
    const c = one.allocFloat32(3);
    expect(() => one.columnOp(x, x, c, 3, 4, "div" as "add")).toThrow(/op must be add, sub or mul/);
    expect(() => one.columnOp(x, x, x.subarray(0, 3), 3, 4, "add")).toThrow(/out must not overlap c/);
    expect(() => one.rowSums(c, x, 3, 4, "mean" as "store")).toThrow(/mode must be store, add or subtract/);
    expect(() => one.rowMax(c, c, x, 3, 4)).toThrow(/out must not overlap index/);
    expect(() => one.rowMax(c, one.allocFloat32(3), x, 3, 0)).toThrow(/no columns/);
    expect(() => one.addProducts(x, x.subarray(1), c, 3)).toThrow(/y must not overlap a/);
  });
});
