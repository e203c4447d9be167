import { describe, expect, it } from "vitest";
import { Rng, allIndices, checkGradient } from "@crossprop/core";
import { meanSquaredError } from "./mse.ts";

// Central differences at h = 1e-6 in float64: O(h²) truncation + O(eps·|L|/h) rounding ≈ 1e-10
// relative for these O(1-10) losses and O(0.1-1) gradients, so 1e-6 is safe.
const TOLERANCE = 1e-6;
const ROWS = 3;
const WIDTH = 4;

describe("meanSquaredError", () => {
  it("mean divides by every element (like torch.nn.MSELoss), sum does not", () => {
    const outputs = new Float64Array([1, 2, 3, 4]);
    const targets = new Float64Array([0, 2, 5, 4]);
    // squared errors 1, 0, 4, 0
    expect(meanSquaredError(outputs, targets, 2, 2, "sum", new Float64Array(4))).toBe(5);
    expect(meanSquaredError(outputs, targets, 2, 2, "mean", new Float64Array(4))).toBe(5 / 4);
  });

  for (const reduction of ["mean", "sum"] as const) {
    it(`${reduction}: the gradient matches central differences`, () => {
      const rng = new Rng(reduction === "mean" ? 1 : 2, "test");
      const outputs = Float64Array.from({ length: ROWS * WIDTH }, () => rng.normal());
      const targets = Float64Array.from({ length: ROWS * WIDTH }, () => rng.normal());
      const grad = new Float64Array(ROWS * WIDTH);
      meanSquaredError(outputs, targets, ROWS, WIDTH, reduction, grad);
      const f = () => meanSquaredError(outputs, targets, ROWS, WIDTH, reduction, new Float64Array(ROWS * WIDTH));
      expect(checkGradient(f, outputs, grad, allIndices(outputs.length)).maxRelativeError).toBeLessThan(TOLERANCE);
    });
  }

  it("adds into gradOutputs: dL/dy = 2·(y - t) for sum", () => {
    const grad = new Float32Array([1, 1]);
    meanSquaredError(new Float32Array([3, 1]), new Float32Array([1, 1]), 1, 2, "sum", grad);
    expect(Array.from(grad)).toEqual([5, 1]);
  });
});
