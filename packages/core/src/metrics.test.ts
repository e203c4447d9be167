import { describe, expect, it } from "vitest";
import type { Batch } from "./batch.ts";
import { batchLoss, correctCount, LossMeter } from "./metrics.ts";

const batch: Batch = { size: 2, inputs: new Float32Array(0), labels: Int32Array.from([2, 0]), targets: Float64Array.from([0, 0, 1, 1, 0, 0]) };
const logits = [1, 2, 3, 1000, 0, -1000];

describe("batchLoss", () => {
  it("cross-entropy is logsumexp minus the true logit, stable for huge logits", () => {
    const row0 = Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3)) - 3;
    const row1 = 0; // softmax of (1000, 0, -1000) puts all mass on class 0
    expect(batchLoss(logits, batch, { type: "cross_entropy", reduction: "sum" }, 3)).toBeCloseTo(row0 + row1, 12);
    expect(batchLoss(logits, batch, { type: "cross_entropy", reduction: "mean" }, 3)).toBeCloseTo((row0 + row1) / 2, 12);
  });

  it("mse means over every element, or sums", () => {
    const outputs = [0, 0, 0.5, 1, 0, 2];
    expect(batchLoss(outputs, batch, { type: "mse", reduction: "sum" }, 3)).toBe(0.25 + 4);
    expect(batchLoss(outputs, batch, { type: "mse", reduction: "mean" }, 3)).toBe(4.25 / 6);
  });

  it("sigmoid_distance and bce on one output against 0/1 labels", () => {
    const binary: Batch = { size: 2, inputs: new Float32Array(0), labels: Int32Array.from([1, 0]), targets: null };
    const sigma = (p: number) => 1 / (1 + Math.exp(-p));
    expect(batchLoss([2, -1], binary, { type: "sigmoid_distance", reduction: "mean" }, 1)).toBeCloseTo((1 - sigma(2) + sigma(-1)) / 2, 14);
    expect(batchLoss([2, -1], binary, { type: "bce", reduction: "sum" }, 1)).toBeCloseTo(-Math.log(sigma(2)) - Math.log(1 - sigma(-1)), 14);
  });
});

describe("correctCount and LossMeter", () => {
  it("argmax for many outputs, threshold for one", () => {
    expect(correctCount(logits, Int32Array.from([2, 1]), 3)).toBe(1);
    expect(correctCount([0.7, 0.2, 0.6], Int32Array.from([1, 0, 0]), 1, 0.5)).toBe(2);
  });
  it("weights batch means by batch size", () => {
    const meter = new LossMeter("mean");
    meter.add(1, 3);
    meter.add(2, 1);
    expect(meter.value).toBe(5 / 4);
    const sum = new LossMeter("sum");
    sum.add(6, 3);
    sum.add(2, 1);
    expect(sum.value).toBe(2);
  });
});
