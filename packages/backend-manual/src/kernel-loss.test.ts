import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Batch, LossSpec } from "@crossprop/core";
import { loadKernels, type Kernels } from "@crossprop/kernels";
import { createKernelLoss } from "./kernel-loss.ts";
import { createLoss } from "./loss.ts";

let kernels: Kernels;
beforeAll(async () => {
  kernels = await loadKernels({ threads: 1 });
});
afterAll(() => kernels.dispose());

function batchOf(size: number, width: number): { batch: Batch; outputs: Float32Array } {
  const outputs = kernels.allocFloat32(size * width);
  for (let i = 0; i < outputs.length; i++) outputs[i] = Math.sin(i * 1.7) * 12;
  const labels = Int32Array.from({ length: size }, (_, r) => (r * 7) % width);
  const targets = Float32Array.from({ length: size * width }, (_, i) => Math.cos(i));
  return { batch: { size, inputs: new Float32Array(0), labels, targets }, outputs };
}

describe("createKernelLoss", () => {
  it.each(["mean", "sum"] as const)("cross_entropy (%s) by the kernels gives the TypeScript engine's loss and gradient", (reduction) => {
    const spec: LossSpec = { type: "cross_entropy", reduction, scale: 1 };
    const kernelLoss = createKernelLoss(kernels, spec, 10);
    const typescriptLoss = createLoss(spec, 10);
    // A batch, then a larger one (the labels' buffer grows), then a partial one.
    for (const size of [64, 256, 13]) {
      const { batch, outputs } = batchOf(size, 10);
      const grad = kernels.allocFloat32(size * 10);
      const expectedGrad = new Float32Array(size * 10);
      const loss = kernelLoss.loss(outputs, batch, grad);
      const expected = typescriptLoss(outputs, batch, expectedGrad);
      // exp and log differ from V8's by about an ulp of a double (packages/kernels/src/softmax.test.ts).
      expect(Math.abs(loss - expected)).toBeLessThanOrEqual(1e-14 * Math.abs(expected));
      for (let i = 0; i < grad.length; i++) expect(Math.abs(grad[i]! - expectedGrad[i]!)).toBeLessThanOrEqual(Math.abs(expectedGrad[i]!) * 2 ** -23);
    }
    kernelLoss.free();
  });

  it("leaves the other losses to the TypeScript code, and names a missing label", () => {
    const { batch, outputs } = batchOf(8, 3);
    const spec: LossSpec = { type: "mse", reduction: "mean", scale: 1 };
    const grad = new Float32Array(24), expectedGrad = new Float32Array(24);
    expect(createKernelLoss(kernels, spec, 3).loss(outputs, batch, grad)).toBe(createLoss(spec, 3)(outputs, batch, expectedGrad));
    expect(Array.from(grad)).toEqual(Array.from(expectedGrad));
    const ce = createKernelLoss(kernels, { type: "cross_entropy", reduction: "mean", scale: 1 }, 3);
    expect(() => ce.loss(outputs, { ...batch, labels: null }, grad)).toThrow(/needs batch.labels/);
    expect(() => ce.loss(outputs, { ...batch, labels: Int32Array.of(0, 1, 2, 3, 0, 0, 0, 0) }, kernels.allocFloat32(24))).toThrow(/label 3 of row 3/);
    ce.free();
  });
});
