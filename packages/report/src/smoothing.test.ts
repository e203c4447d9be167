import { describe, expect, it } from "vitest";
import { emaSmooth, smoothingWeight } from "./smoothing.ts";

describe("emaSmooth", () => {
  it("is bias-corrected: a constant series stays constant from the first point", () => {
    // (1 − w^t) divides out exactly for a constant; 1e-12 allows the float64 rounding of that division.
    for (const value of emaSmooth([2, 2, 2, 2], 0.9)) expect(value).toBeCloseTo(2, 12);
  });

  it("follows m_t = w·m_{t−1} + (1 − w)·x_t, divided by 1 − w^t", () => {
    const [first, second] = emaSmooth([1, 3], 0.5);
    expect(first).toBeCloseTo(1, 12);
    expect(second).toBeCloseTo((0.5 * 0.5 + 0.5 * 3) / (1 - 0.25), 12);
  });

  it("skips non-finite and missing losses, carrying the average over them", () => {
    expect(emaSmooth([1, null, Number.NaN, 1], 0.9)).toEqual([expect.closeTo(1, 12), null, null, expect.closeTo(1, 12)]);
  });
});

describe("smoothingWeight", () => {
  it("averages over about 1% of the steps, between 10 and 100 points", () => {
    expect(smoothingWeight(10)).toBe(0.9);
    expect(smoothingWeight(1000)).toBe(0.9);
    expect(smoothingWeight(5000)).toBe(0.98);
    expect(smoothingWeight(1e6)).toBe(0.99);
  });
});
