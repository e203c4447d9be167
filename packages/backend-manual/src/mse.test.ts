import { describe, expect, it } from "vitest";
import { Rng, allIndices, checkGradient } from "@crossprop/core";
import { meanSquaredError } from "./mse.ts";
import type { LossReduction } from "./reduction.ts";

// Central differences at h = 1e-6 in float64: O(h²) truncation + O(eps·|L|/h) rounding ≈ 1e-10
// relative for these O(1-10) losses and O(0.1-1) gradients, so 1e-6 is safe.
const TOLERANCE = 1e-6;
const ROWS = 3;

describe("meanSquaredError", () => {
  it("mean divides by every element (like torch.nn.MSELoss), sum does not", () => {
    const outputs = new Float64Array([1, 2, 3, 4]);
    const targets = new Float64Array([0, 2, 5, 4]);
    // squared errors 1, 0, 4, 0
    expect(meanSquaredError(outputs, targets, 2, 2, { reduction: "sum" }, new Float64Array(4))).toBe(5);
    expect(meanSquaredError(outputs, targets, 2, 2, { reduction: "mean" }, new Float64Array(4))).toBe(5 / 4);
  });

  it("scale multiplies the reduced loss: notebook 001's ½·Σ squared errors is sum with scale 0.5", () => {
    const outputs = new Float64Array([1, 2, 3, 4]);
    const targets = new Float64Array([0, 2, 5, 4]);
    expect(meanSquaredError(outputs, targets, 4, 1, { reduction: "sum", scale: 0.5 }, new Float64Array(4))).toBe(2.5);
    expect(meanSquaredError(outputs, targets, 4, 1, { reduction: "mean", scale: 3 }, new Float64Array(4))).toBe(3.75);
  });

  // Width 1 is regression with one target per row (notebook 001); widths 4 and 10 are one-hot rows.
  const cases: [number, LossReduction][] = [
    [4, { reduction: "mean" }],
    [4, { reduction: "sum" }],
    [1, { reduction: "mean" }],
    [1, { reduction: "sum", scale: 0.5 }],
    [10, { reduction: "mean", scale: 2.5 }],
  ];
  for (const [seed, [width, reduction]] of cases.entries()) {
    it(`width ${width}, ${reduction.reduction}, scale ${reduction.scale ?? "absent"}: the gradient matches central differences`, () => {
      const rng = new Rng(seed + 1, "test");
      const outputs = Float64Array.from({ length: ROWS * width }, () => rng.normal());
      const targets = Float64Array.from({ length: ROWS * width }, () => rng.normal());
      const grad = new Float64Array(ROWS * width);
      meanSquaredError(outputs, targets, ROWS, width, reduction, grad);
      const f = () => meanSquaredError(outputs, targets, ROWS, width, reduction, new Float64Array(ROWS * width));
      expect(checkGradient(f, outputs, grad, allIndices(outputs.length)).maxRelativeError).toBeLessThan(TOLERANCE);
    });
  }

  it("adds into gradOutputs: dL/dy = 2·(y - t) for sum", () => {
    const grad = new Float32Array([1, 1]);
    meanSquaredError(new Float32Array([3, 1]), new Float32Array([1, 1]), 1, 2, { reduction: "sum" }, grad);
    expect(Array.from(grad)).toEqual([5, 1]);
  });

  it("refuses targets shorter than rows × width", () => {
    expect(() => meanSquaredError(new Float64Array(6), new Float64Array(3), 3, 2, { reduction: "sum" }, new Float64Array(6))).toThrow(
      "mse targets hold 3 values, 3 rows of 2 need 6",
    );
  });
});
