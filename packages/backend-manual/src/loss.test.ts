import { describe, expect, it } from "vitest";
import { UserError, type Batch, type LossType } from "@crossprop/core";
import { createLoss } from "./loss.ts";

const outputs = new Float64Array([0.5, -0.5]);

describe("createLoss", () => {
  it("routes cross_entropy to the labels and mse to the targets", () => {
    const batch: Batch = { size: 1, inputs: new Float64Array(1), labels: new Int32Array([0]), targets: new Float64Array([0.5, 0.5]) };
    const grad = new Float64Array(2);
    expect(createLoss({ type: "cross_entropy", reduction: "sum" }, 2)(outputs, batch, grad)).toBeCloseTo(Math.log(1 + Math.exp(-1)), 15);
    expect(createLoss({ type: "mse", reduction: "sum" }, 2)(outputs, batch, new Float64Array(2))).toBe(1);
  });

  for (const type of ["bce", "sigmoid_distance"] as const satisfies readonly LossType[]) {
    it(`refuses '${type}' with a UserError that names it`, () => {
      expect(() => createLoss({ type, reduction: "mean" }, 2)).toThrow(UserError);
      expect(() => createLoss({ type, reduction: "mean" }, 2)).toThrow(`backend manual does not support loss '${type}' yet`);
    });
  }

  it("says which batch field is missing", () => {
    const unlabeled: Batch = { size: 1, inputs: new Float64Array(1), labels: null, targets: null };
    expect(() => createLoss({ type: "cross_entropy", reduction: "mean" }, 2)(outputs, unlabeled, new Float64Array(2))).toThrow(/batch.labels/);
    expect(() => createLoss({ type: "mse", reduction: "mean" }, 2)(outputs, unlabeled, new Float64Array(2))).toThrow(/batch.targets/);
  });
});
