import { describe, expect, it } from "vitest";
import { Rng, allIndices, checkGradient } from "@crossprop/core";
import type { LossReduction } from "./reduction.ts";
import { sigmoidDistance } from "./sigmoid-distance.ts";

// Central differences at h = 1e-6 in float64: O(h²) truncation + O(eps·|L|/h) rounding ≈ 1e-10
// relative for these O(1) losses and O(0.01-1) gradients, so 1e-6 is safe; a wrong sign or factor is off by O(1).
const TOLERANCE = 1e-6;
const ROWS = 6;

const sigma = (z: number) => 1 / (1 + Math.exp(-z));

function data(seed: number) {
  const rng = new Rng(seed, "test");
  const logits = Float64Array.from({ length: ROWS }, () => 2 * rng.normal());
  // Both labels present whatever the seed.
  const labels = Int32Array.from({ length: ROWS }, (_, r) => (r < 2 ? r : rng.int(2)));
  return { logits, labels };
}

/** Notebook 004's formula written the direct way, for modest logits only. */
function naiveLoss(logits: Float64Array, labels: Int32Array, { reduction, scale = 1 }: LossReduction): number {
  let total = 0;
  for (let r = 0; r < ROWS; r++) total += labels[r] === 1 ? 1 - sigma(logits[r]!) : sigma(logits[r]!);
  return (reduction === "mean" ? total / ROWS : total) * scale;
}

describe("sigmoidDistance", () => {
  const reductions: LossReduction[] = [{ reduction: "mean" }, { reduction: "sum" }, { reduction: "mean", scale: 2.5 }, { reduction: "sum", scale: 0.5 }];
  for (const [seed, reduction] of reductions.entries()) {
    it(`${reduction.reduction}, scale ${reduction.scale ?? "absent"}: matches the formula and central differences`, () => {
      const { logits, labels } = data(seed + 1);
      const grad = new Float64Array(ROWS);
      const loss = sigmoidDistance(logits, labels, ROWS, reduction, grad);
      expect(loss).toBeCloseTo(naiveLoss(logits, labels, reduction), 14);
      const f = () => sigmoidDistance(logits, labels, ROWS, reduction, new Float64Array(ROWS));
      expect(checkGradient(f, logits, grad, allIndices(ROWS)).maxRelativeError).toBeLessThan(TOLERANCE);
    });
  }

  it("has dl/dz = y = 1 ? −σ(1−σ) : σ(1−σ), and adds into gradLogits", () => {
    const logits = new Float64Array([0, 0, 1.5, -0.5]);
    const grad = new Float64Array([1, 1, 1, 1]);
    const loss = sigmoidDistance(logits, new Int32Array([1, 0, 1, 0]), 4, { reduction: "sum" }, grad);
    const slope = (z: number) => sigma(z) * (1 - sigma(z));
    expect(loss).toBeCloseTo(0.5 + 0.5 + (1 - sigma(1.5)) + sigma(-0.5), 15);
    const expected = [1 - 0.25, 1 + 0.25, 1 - slope(1.5), 1 + slope(-0.5)];
    expected.forEach((value, r) => expect(grad[r]).toBeCloseTo(value, 15));
  });

  it("keeps 1 − σ(z) accurate where σ(z) ≈ 1, and stays finite for huge logits", () => {
    const grad = new Float64Array(4);
    const loss = sigmoidDistance(new Float64Array([40, -40, 800, -800]), new Int32Array([1, 0, 0, 1]), 4, { reduction: "sum" }, grad);
    // Rows 0 and 1 are right by a margin of 40: σ(−40) = 4.248e-18 each, which 1 − σ(40) would round to 0.
    // Rows 2 and 3 are wrong by 800: 1 each, and σ' underflows to ±0 (added into +0: +0).
    const tiny = 1 / (1 + Math.exp(40));
    expect(loss).toBe(2 + 2 * tiny);
    expect(grad[0]! / -tiny).toBeCloseTo(1, 14);
    expect(grad[1]! / tiny).toBeCloseTo(1, 14);
    expect(Array.from(grad.subarray(2))).toEqual([0, 0]);
  });

  it("rejects a label that is not 0 or 1", () => {
    const grad = new Float64Array(2);
    expect(() => sigmoidDistance(new Float64Array(2), new Int32Array([1, 2]), 2, { reduction: "mean" }, grad)).toThrow(/label 2 of row 1 is not 0 or 1/);
    expect(() => sigmoidDistance(new Float64Array(1), new Int32Array([-1]), 1, { reduction: "mean" }, grad)).toThrow(RangeError);
  });
});
