import { describe, expect, it } from "vitest";
import { compareArrays, relativeDifference, unravelIndex } from "./compare.ts";

const tight = { rtol: 1e-6, atol: null, floor: 1e-3 };

describe("compareArrays", () => {
  it("reports exact equality", () => {
    expect(compareArrays([1, -2, 0], Float32Array.from([1, -2, 0]), tight)).toEqual({ exact: true, allclose: true, maxAbs: 0, maxRel: 0, index: -1 });
  });

  it("finds the worst relative element and applies numpy's allclose rule", () => {
    const diff = compareArrays([1, 2.001, 3], [1, 2, 3], { rtol: 1e-3, atol: 0, floor: 0 });
    expect(diff.exact).toBe(false);
    expect(diff.index).toBe(1);
    expect(diff.maxRel).toBeCloseTo(5e-4, 12);
    expect(diff.allclose).toBe(true); // |0.001| ≤ 0 + 1e-3·2
    expect(compareArrays([1, 2.01, 3], [1, 2, 3], { rtol: 1e-3, atol: 0, floor: 0 }).allclose).toBe(false);
  });

  it("measures elements near zero against the tensor's scale (the floor)", () => {
    // 1e-9 off an element of 1e-8 is 10% of it, but 1e-9 of the tensor's scale of 1.
    const diff = compareArrays([1, 1.1e-8], [1, 1e-8], { rtol: 1e-6, atol: null, floor: 1e-2 });
    expect(diff.maxRel).toBeCloseTo(1e-7, 12);
    expect(diff.allclose).toBe(true);
    expect(compareArrays([1, 1.1e-8], [1, 1e-8], { rtol: 1e-6, atol: 0, floor: 1e-2 }).allclose).toBe(false);
  });

  it("never passes NaN or a length mismatch", () => {
    const nan = compareArrays([1, NaN], [1, 2], tight);
    expect(nan).toMatchObject({ allclose: false, maxRel: Infinity, index: 1 });
    expect(compareArrays([1], [1, 2], tight).allclose).toBe(false);
  });
});

describe("relativeDifference and unravelIndex", () => {
  it("works on scalars", () => {
    expect(relativeDifference(2.002, 2)).toBeCloseTo(1e-3, 12);
    expect(relativeDifference(NaN, 2)).toBe(Infinity);
  });
  it("unravels row-major indices", () => {
    expect(unravelIndex(1234, [784, 256])).toEqual([4, 210]);
    expect(unravelIndex(7, [10])).toEqual([7]);
  });
});
