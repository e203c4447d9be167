import { describe, expect, it } from "vitest";
import { describeEstimate, estimateMemory, formatBytes, MAX_TYPED_ARRAY_ELEMENTS, type MemoryShape } from "./memory-estimate.ts";

const mnistData = { examples: 70_000, features: 784, bytesPerValue: 1, targetsPerExample: 1 };
const mlp: MemoryShape = { widths: [784, 100, 10], dtype: "float32", optimizer: "sgd", batchSize: 64, evalRows: 1024, data: mnistData };

describe("estimateMemory", () => {
  it("counts parameters, gradients and snapshots from the layer widths and the dtype", () => {
    const estimate = estimateMemory(mlp);
    const parameters = (784 * 100 + 100 + 100 * 10 + 10) * 4;
    expect(estimate.parameters).toBe(parameters);
    expect(estimate.gradients).toBe(parameters);
    expect(estimate.snapshots).toBe(4 * parameters);
    expect(estimateMemory({ ...mlp, dtype: "float64" }).parameters).toBe(2 * parameters);
  });

  it("adds one parameter-sized buffer for momentum and two for adam and adamw", () => {
    const { parameters } = estimateMemory(mlp);
    expect(estimateMemory(mlp).optimizerState).toBe(0);
    expect(estimateMemory({ ...mlp, optimizer: "momentum" }).optimizerState).toBe(parameters);
    expect(estimateMemory({ ...mlp, optimizer: "adam" }).optimizerState).toBe(2 * parameters);
    expect(estimateMemory({ ...mlp, optimizer: "adamw" }).optimizerState).toBe(2 * parameters);
  });

  it("scales activations with the batch size: four buffers per layer and row, plus the inputs and outputs", () => {
    const perRow = (4 * (100 + 10) + 784 + 10) * 4;
    expect(estimateMemory(mlp).activations).toBe(64 * perRow);
    expect(estimateMemory({ ...mlp, batchSize: 640 }).activations).toBe(640 * perRow);
  });

  it("counts the data as stored: one byte per pixel plus a 4-byte label per example", () => {
    expect(estimateMemory(mlp).data).toBe(70_000 * (784 + 4));
    const regression = { examples: 2500, features: 3, bytesPerValue: 4, targetsPerExample: 1 };
    expect(estimateMemory({ ...mlp, data: regression }).data).toBe(2500 * (12 + 4));
  });

  it("totals every part", () => {
    const e = estimateMemory(mlp);
    expect(e.total).toBe(e.parameters + e.gradients + e.optimizerState + e.snapshots + e.activations + e.evaluation + e.data);
  });

  it("names the largest array: a wide layer's weights, or 1e20 generated examples", () => {
    const wide = estimateMemory({ ...mlp, widths: [784, 100_000_000, 10], evalRows: 100 });
    expect(wide.largestArray).toEqual({ elements: 78_400_000_000, what: { kind: "weights", layer: 0 } });
    const chunk = estimateMemory({ ...mlp, widths: [784, 100_000_000, 10] });
    expect(chunk.largestArray).toEqual({ elements: 102_400_000_000, what: { kind: "evaluation", layer: 0 } });
    expect(wide.largestArray.elements).toBeGreaterThan(MAX_TYPED_ARRAY_ELEMENTS);
    const many = estimateMemory({ ...mlp, widths: [3, 1], data: { examples: 1e20, features: 3, bytesPerValue: 4, targetsPerExample: 1 } });
    expect(many.largestArray.what).toEqual({ kind: "data" });
    expect(Number.isFinite(many.total)).toBe(true);
  });

  it("estimates a [1000000] hidden layer far above this machine class's 24 GB", () => {
    // The case: 795M float32 parameters grew past 6 GB before anything refused them.
    expect(estimateMemory({ ...mlp, widths: [784, 1_000_000, 10] }).total).toBeGreaterThan(24e9);
  });
});

describe("formatBytes and describeEstimate", () => {
  it("writes decimal units to three significant digits", () => {
    expect(formatBytes(512)).toBe("512 B");
    expect(formatBytes(12_345)).toBe("12.3 kB");
    expect(formatBytes(3_180_000_000)).toBe("3.18 GB");
    expect(formatBytes(7.84e22)).toBe("7.84e+22 B");
  });

  it("lists the parts largest first, without the empty ones", () => {
    const text = describeEstimate(estimateMemory(mlp));
    expect(text.startsWith("data 55.2 MB, evaluation ")).toBe(true);
    expect(text).not.toContain("optimizer state");
    expect(text).toMatch(/parameter snapshots 1\.27 MB/);
  });
});
