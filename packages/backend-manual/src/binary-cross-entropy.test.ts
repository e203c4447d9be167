import { describe, expect, it } from "vitest";
import { Rng, allIndices, checkGradient } from "@crossprop/core";
import { binaryCrossEntropy } from "./binary-cross-entropy.ts";
import type { LossReduction } from "./reduction.ts";

// Central differences at h = 1e-6 in float64: O(h²) truncation + O(eps·|L|/h) rounding ≈ 1e-10
// relative for these O(1) losses and O(0.01-1) gradients, so 1e-6 is safe; a wrong sign or factor is off by O(1).
const TOLERANCE = 1e-6;
const ROWS = 6;

const sigma = (z: number) => 1 / (1 + Math.exp(-z));

function data(seed: number) {
  const rng = new Rng(seed, "test");
  const logits = Float64Array.from({ length: ROWS }, () => 2 * rng.normal());
  const labels = Int32Array.from({ length: ROWS }, (_, r) => (r < 2 ? r : rng.int(2)));
  return { logits, labels };
}

/** −[y·log σ(z) + (1 − y)·log(1 − σ(z))] computed the direct way, for modest logits only. */
function naiveLoss(logits: Float64Array, labels: Int32Array, { reduction, scale = 1 }: LossReduction): number {
  let total = 0;
  for (let r = 0; r < ROWS; r++) {
    const y = labels[r]!;
    const s = sigma(logits[r]!);
    total -= y * Math.log(s) + (1 - y) * Math.log(1 - s);
  }
  return (reduction === "mean" ? total / ROWS : total) * scale;
}

describe("binaryCrossEntropy", () => {
  const reductions: LossReduction[] = [{ reduction: "mean" }, { reduction: "sum" }, { reduction: "mean", scale: 2.5 }, { reduction: "sum", scale: 0.5 }];
  for (const [seed, reduction] of reductions.entries()) {
    it(`${reduction.reduction}, scale ${reduction.scale ?? "absent"}: matches −log-likelihood and central differences`, () => {
      const { logits, labels } = data(seed + 1);
      const grad = new Float64Array(ROWS);
      const loss = binaryCrossEntropy(logits, labels, ROWS, reduction, grad);
      expect(loss).toBeCloseTo(naiveLoss(logits, labels, reduction), 13);
      const f = () => binaryCrossEntropy(logits, labels, ROWS, reduction, new Float64Array(ROWS));
      expect(checkGradient(f, logits, grad, allIndices(ROWS)).maxRelativeError).toBeLessThan(TOLERANCE);
    });
  }

  it("has dl/dz = σ(z) − y, and adds into gradLogits", () => {
    const logits = new Float64Array([0, 0, 1.5, -0.5]);
    const grad = new Float64Array([1, 1, 1, 1]);
    const loss = binaryCrossEntropy(logits, new Int32Array([1, 0, 1, 0]), 4, { reduction: "sum" }, grad);
    expect(loss).toBeCloseTo(2 * Math.log(2) - Math.log(sigma(1.5)) - Math.log(1 - sigma(-0.5)), 15);
    const expected = [1 - 0.5, 1 + 0.5, 1 + sigma(1.5) - 1, 1 + sigma(-0.5)];
    expected.forEach((value, r) => expect(grad[r]).toBeCloseTo(value, 15));
  });

  it("stays finite and accurate for huge logits (no log of 0, no 1 − σ(z) cancellation)", () => {
    const grad = new Float64Array(4);
    const loss = binaryCrossEntropy(new Float64Array([40, -40, 800, -800]), new Int32Array([1, 0, 0, 1]), 4, { reduction: "sum" }, grad);
    // Right by 40: log1p(e^−40) = 4.248e-18 each. Wrong by 800: 800 each, where log σ(−800) would be −Infinity.
    const tiny = Math.log1p(Math.exp(-40));
    expect(loss).toBe(1600 + 2 * tiny);
    // σ(40) − 1 = −σ(−40): a subtraction would round it to 0.
    expect(grad[0]! / -(1 / (1 + Math.exp(40)))).toBeCloseTo(1, 14);
    expect(grad[1]! / (1 / (1 + Math.exp(40)))).toBeCloseTo(1, 14);
    expect(Array.from(grad.subarray(2))).toEqual([1, -1]);
  });

  it("rejects a label that is not 0 or 1", () => {
    const grad = new Float64Array(2);
    expect(() => binaryCrossEntropy(new Float64Array(2), new Int32Array([0, 3]), 2, { reduction: "sum" }, grad)).toThrow(/label 3 of row 1 is not 0 or 1 for bce/);
  });
});
