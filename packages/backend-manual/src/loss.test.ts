import { describe, expect, it } from "vitest";
import type { Batch, LossType } from "@crossprop/core";
import { createLoss } from "./loss.ts";

const outputs = new Float64Array([0.5, -0.5]);
const batch: Batch = { size: 1, inputs: new Float64Array(1), labels: new Int32Array([0]), targets: new Float64Array([0.5, 0.5]) };
/** Two rows of one logit each, labelled 1 and 0; targets deliberately absent. */
const binaryBatch: Batch = { size: 2, inputs: new Float64Array(2), labels: new Int32Array([1, 0]), targets: null };
const sigma = (z: number) => 1 / (1 + Math.exp(-z));

describe("createLoss", () => {
  it("routes cross_entropy to the labels and mse to the targets", () => {
    const grad = new Float64Array(2);
    expect(createLoss({ type: "cross_entropy", reduction: "sum" }, 2)(outputs, batch, grad)).toBeCloseTo(Math.log(1 + Math.exp(-1)), 15);
    expect(createLoss({ type: "mse", reduction: "sum" }, 2)(outputs, batch, new Float64Array(2))).toBe(1);
  });

  it("routes sigmoid_distance and bce to the 0/1 labels of a 1-output model", () => {
    // Row 0 (y = 1): 1 − σ(0.5) and log1p(e^−0.5); row 1 (y = 0): σ(−0.5) and log1p(e^−0.5).
    const distance = createLoss({ type: "sigmoid_distance", reduction: "sum" }, 1)(outputs, binaryBatch, new Float64Array(2));
    expect(distance).toBeCloseTo(1 - sigma(0.5) + sigma(-0.5), 15);
    const bce = createLoss({ type: "bce", reduction: "mean" }, 1)(outputs, binaryBatch, new Float64Array(2));
    expect(bce).toBeCloseTo(Math.log1p(Math.exp(-0.5)), 15);
  });

  it("multiplies the loss and its gradient by scale, for every loss type", () => {
    const cases: [LossType, number, Batch][] = [["cross_entropy", 2, batch], ["mse", 2, batch], ["sigmoid_distance", 1, binaryBatch], ["bce", 1, binaryBatch]];
    for (const [type, width, data] of cases) {
      const plainGrad = new Float64Array(2);
      const scaledGrad = new Float64Array(2);
      const plain = createLoss({ type, reduction: "mean" }, width)(outputs, data, plainGrad);
      const scaled = createLoss({ type, reduction: "mean", scale: 0.25 }, width)(outputs, data, scaledGrad);
      // × 0.25 is exact in binary: the scaled results equal 0.25 × the plain ones bit for bit.
      expect(scaled, type).toBe(0.25 * plain);
      expect(Array.from(scaledGrad), type).toEqual(Array.from(plainGrad, (g) => 0.25 * g));
    }
  });

  it("says which batch field is missing", () => {
    const unlabeled: Batch = { size: 1, inputs: new Float64Array(1), labels: null, targets: null };
    expect(() => createLoss({ type: "cross_entropy", reduction: "mean" }, 2)(outputs, unlabeled, new Float64Array(2))).toThrow(/batch.labels/);
    expect(() => createLoss({ type: "mse", reduction: "mean" }, 2)(outputs, unlabeled, new Float64Array(2))).toThrow(/batch.targets/);
    expect(() => createLoss({ type: "bce", reduction: "mean" }, 1)(outputs, unlabeled, new Float64Array(1))).toThrow(/'bce' needs batch.labels/);
  });
});
