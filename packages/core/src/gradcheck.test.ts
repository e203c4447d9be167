import { describe, expect, it } from "vitest";
import {
  allIndices,
  centralDifference,
  centralDifferenceAsync,
  checkGradient,
  checkGradientAsync,
  relativeError,
} from "./gradcheck.ts";

// f(x) = x0³ + sin(x1)·x2, so df/dx = [3·x0², cos(x1)·x2, sin(x1)].
function cubicSine(x: Float64Array): number {
  return x[0]! ** 3 + Math.sin(x[1]!) * x[2]!;
}

function cubicSineGradient(x: Float64Array): number[] {
  return [3 * x[0]! ** 2, Math.cos(x[1]!) * x[2]!, Math.sin(x[1]!)];
}

describe("centralDifference", () => {
  it("matches known derivatives to 1e-8 relative (O(h²) + O(eps/h) error ≈ 1e-10 at h = 1e-6)", () => {
    const x = new Float64Array([1.3, 0.7, -2.1]);
    const expected = cubicSineGradient(x);
    for (let i = 0; i < x.length; i++) {
      expect(relativeError(expected[i]!, centralDifference(() => cubicSine(x), x, i))).toBeLessThan(1e-8);
    }
  });

  it("restores the perturbed element exactly, even when f throws", () => {
    const x = new Float64Array([0.1, 0.2, 0.3]);
    centralDifference(() => cubicSine(x), x, 1);
    expect(Array.from(x)).toEqual([0.1, 0.2, 0.3]);
    expect(() =>
      centralDifference(() => {
        throw new Error("boom");
      }, x, 2),
    ).toThrow("boom");
    expect(x[2]).toBe(0.3);
  });

  it("rejects an index outside x", () => {
    const x = new Float64Array(2);
    expect(() => centralDifference(() => 0, x, 2)).toThrow(RangeError);
    expect(() => centralDifference(() => 0, x, -1)).toThrow(RangeError);
  });

  it("has an async twin that gives the same number", async () => {
    const x = new Float64Array([1.3, 0.7, -2.1]);
    for (let i = 0; i < x.length; i++) {
      const numeric = await centralDifferenceAsync(async () => cubicSine(x), x, i);
      expect(numeric).toBe(centralDifference(() => cubicSine(x), x, i));
    }
    expect(Array.from(x)).toEqual([1.3, 0.7, -2.1]);
  });
});

describe("relativeError", () => {
  it("is relative for large values and absolute below the floor", () => {
    expect(relativeError(100, 101)).toBeCloseTo(1 / 101, 15);
    expect(relativeError(0, 0)).toBe(0);
    expect(relativeError(0, 1e-12, 1e-8)).toBeCloseTo(1e-4, 15);
  });
});

describe("checkGradient", () => {
  it("passes a correct gradient and reports the worst index of a wrong one", () => {
    const x = new Float64Array([1.3, 0.7, -2.1]);
    const correct = cubicSineGradient(x);
    const good = checkGradient(() => cubicSine(x), x, correct, allIndices(3));
    expect(good.maxRelativeError).toBeLessThan(1e-8);

    const wrong = [...correct];
    wrong[1] = wrong[1]! * 1.01;
    const bad = checkGradient(() => cubicSine(x), x, wrong, allIndices(3));
    expect(bad.worstIndex).toBe(1);
    expect(bad.maxRelativeError).toBeGreaterThan(5e-3);
    expect(bad.analytic).toBe(wrong[1]);
  });

  it("reports a NaN gradient as an infinite error", () => {
    const x = new Float64Array([1.3, 0.7, -2.1]);
    const analytic = [Number.NaN, ...cubicSineGradient(x).slice(1)];
    const result = checkGradient(() => cubicSine(x), x, analytic, [1, 0, 2]);
    expect(result.maxRelativeError).toBe(Number.POSITIVE_INFINITY);
    expect(result.worstIndex).toBe(0);
  });

  it("checks only the listed indices, and the async twin agrees", async () => {
    const x = new Float64Array([1.3, 0.7, -2.1]);
    const analytic = cubicSineGradient(x);
    analytic[0] = 1e6; // wrong, but not checked
    const sync = checkGradient(() => cubicSine(x), x, analytic, [1, 2]);
    const async = await checkGradientAsync(async () => cubicSine(x), x, analytic, [1, 2]);
    expect(sync.maxRelativeError).toBeLessThan(1e-8);
    expect(async).toEqual(sync);
  });

  it("throws when the analytic gradient is shorter than an index", () => {
    const x = new Float64Array([1, 2]);
    expect(() => checkGradient(() => x[0]! + x[1]!, x, [1], [0, 1])).toThrow(RangeError);
  });
});
