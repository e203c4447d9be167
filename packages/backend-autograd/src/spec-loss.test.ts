import { UserError, type Batch, type LossSpec } from "@crossprop/core";
import { describe, expect, it } from "vitest";
import { GRADIENT_TOLERANCE, gradientError } from "./finite-differences.fixture.ts";
import { bce, crossEntropy, mse, sigmoidDistance } from "./losses.ts";
import { specLoss } from "./spec-loss.ts";
import { Tensor } from "./tensor.ts";

const outputsOf = (values: number[], width: number) => Tensor.from(values, [values.length / width, width], "float64", true);

function batchOf(rows: number, labels: number[] | null, targets: number[] | null): Batch {
  return { size: rows, inputs: new Float64Array(rows), labels: labels && Int32Array.from(labels), targets: targets && Float64Array.from(targets) };
}

describe("specLoss", () => {
  const twoRows = batchOf(2, [1, 0], [0.5, -1]);
  const cases: [LossSpec["type"], (z: Tensor, reduction: "mean" | "sum") => Tensor][] = [
    ["cross_entropy", (z, r) => crossEntropy(z, Int32Array.from([1, 0]), r)],
    ["mse", (z, r) => mse(z, Tensor.from([0.5, -1], [2, 1], "float64"), r)],
    ["sigmoid_distance", (z, r) => sigmoidDistance(z, Int32Array.from([1, 0]), r)],
    ["bce", (z, r) => bce(z, Int32Array.from([1, 0]), r)],
  ];
  for (const [type, direct] of cases) {
    for (const reduction of ["mean", "sum"] as const) {
      it(`${type}/${reduction}: reads its labels or targets, and scale multiplies the reduced loss`, () => {
        // One output column: cross entropy of a single class is 0, so give it two.
        const width = type === "cross_entropy" ? 2 : 1;
        const values = width === 2 ? [0.3, -0.2, 1.5, 0.4] : [0.3, -1.2];
        const unscaled = direct(outputsOf(values, width), reduction).item();
        expect(specLoss(outputsOf(values, width), twoRows, { type, reduction }).item()).toBe(unscaled);
        expect(specLoss(outputsOf(values, width), twoRows, { type, reduction, scale: 0.5 }).item()).toBe(unscaled * 0.5);
        const scaled = (z: Tensor) => specLoss(z, twoRows, { type, reduction, scale: 2.5 });
        expect(gradientError(scaled, [outputsOf(values, width)])).toBeLessThan(GRADIENT_TOLERANCE);
      });
    }
  }

  it("mse reads exactly size × width targets, for any width", () => {
    const regression = batchOf(3, null, [1, 2, 3, 99]);
    expect(specLoss(outputsOf([1, 2, 5], 1), regression, { type: "mse", reduction: "sum" }).item()).toBe(4);
    const short = batchOf(3, null, [1, 2]);
    expect(() => specLoss(outputsOf([1, 2, 5], 1), short, { type: "mse", reduction: "sum" })).toThrow(new UserError("loss mse needs 3 targets for this batch, got 2"));
  });

  it("reports missing labels or targets as UserErrors", () => {
    expect(() => specLoss(outputsOf([0], 1), batchOf(1, null, [0]), { type: "bce", reduction: "mean" })).toThrow(new UserError("loss bce needs class labels, but the batch has none"));
    expect(() => specLoss(outputsOf([0], 1), batchOf(1, [0], null), { type: "mse", reduction: "mean" })).toThrow(UserError);
  });
});
