import { describe, expect, it } from "vitest";
import { Rng, allIndices, checkGradient } from "@crossprop/core";
import { crossEntropy } from "./cross-entropy.ts";
import type { LossReduction } from "./reduction.ts";

// Central differences at h = 1e-6 in float64: O(h²) truncation + O(eps·|L|/h) rounding ≈ 1e-10
// relative for these O(1) losses and O(0.01-1) gradients, so 1e-6 is safe.
const TOLERANCE = 1e-6;
const ROWS = 4;
const CLASSES = 5;

function data(seed: number) {
  const rng = new Rng(seed, "test");
  const logits = Float64Array.from({ length: ROWS * CLASSES }, () => 2 * rng.normal());
  const labels = Int32Array.from({ length: ROWS }, () => rng.int(CLASSES));
  return { logits, labels };
}

/** -log softmax(z)_y computed the direct way, for modest logits only. */
function naiveLoss(logits: Float64Array, labels: Int32Array, { reduction, scale = 1 }: LossReduction): number {
  let total = 0;
  for (let r = 0; r < ROWS; r++) {
    let sumExp = 0;
    for (let c = 0; c < CLASSES; c++) sumExp += Math.exp(logits[r * CLASSES + c]!);
    total -= Math.log(Math.exp(logits[r * CLASSES + labels[r]!]!) / sumExp);
  }
  return (reduction === "mean" ? total / ROWS : total) * scale;
}

describe("crossEntropy", () => {
  const reductions: LossReduction[] = [{ reduction: "mean" }, { reduction: "sum" }, { reduction: "mean", scale: 2.5 }, { reduction: "sum", scale: 0.5 }];
  for (const [seed, reduction] of reductions.entries()) {
    it(`${reduction.reduction}, scale ${reduction.scale ?? "absent"}: matches -log softmax and its gradient matches central differences`, () => {
      const { logits, labels } = data(seed + 1);
      const grad = new Float64Array(ROWS * CLASSES);
      const loss = crossEntropy(logits, labels, ROWS, CLASSES, reduction, grad);
      expect(loss).toBeCloseTo(naiveLoss(logits, labels, reduction), 12);
      const f = () => crossEntropy(logits, labels, ROWS, CLASSES, reduction, new Float64Array(ROWS * CLASSES));
      expect(checkGradient(f, logits, grad, allIndices(logits.length)).maxRelativeError).toBeLessThan(TOLERANCE);
    });
  }

  it("stays finite for huge logits (log-sum-exp subtracts the row max)", () => {
    const logits = new Float64Array([1000, 0, -1000, 1000]);
    const grad = new Float64Array(4);
    const loss = crossEntropy(logits, new Int32Array([1, 0]), 2, 2, { reduction: "sum" }, grad);
    // Row 0: log(1 + e^-1000) + 1000 - 0 = 1000; row 1: log(1 + e^-2000) + 1000 - (-1000) = 2000.
    expect(loss).toBe(3000);
    expect(Array.from(grad)).toEqual([1, -1, -1, 1]);
  });

  it("gives log(classes) for equal logits and adds into gradLogits", () => {
    const grad = new Float64Array([1, 1, 1, 1]);
    const loss = crossEntropy(new Float64Array(4), new Int32Array([3]), 1, 4, { reduction: "mean" }, grad);
    expect(loss).toBeCloseTo(Math.log(4), 15);
    expect(Array.from(grad)).toEqual([1.25, 1.25, 1.25, 0.25]);
  });

  it("rejects a label outside [0, classes)", () => {
    const grad = new Float64Array(2);
    expect(() => crossEntropy(new Float64Array(2), new Int32Array([2]), 1, 2, { reduction: "mean" }, grad)).toThrow(/label 2 of row 0/);
    expect(() => crossEntropy(new Float64Array(2), new Int32Array([-1]), 1, 2, { reduction: "mean" }, grad)).toThrow(RangeError);
  });
});
