import { describe, expect, it } from "vitest";
import { Rng, initParams, mlpLayers, type Activation, type Batch, type DType, type LossType, type ModelSpec } from "@crossprop/core";
import { manualBackend } from "./index.ts";

const POINTS = 64;

/**
 * XOR quadrants: label 1 when x0·x1 > 0, points kept ≥ 0.1 from the axes. Not linearly
 * separable, so the hidden layer's gradients must be right for the loss to fall far.
 */
function quadrants(dtype: DType): Batch {
  const rng = new Rng(21, "data");
  const inputs = dtype === "float64" ? new Float64Array(POINTS * 2) : new Float32Array(POINTS * 2);
  const labels = new Int32Array(POINTS);
  const targets = dtype === "float64" ? new Float64Array(POINTS * 2) : new Float32Array(POINTS * 2);
  for (let r = 0; r < POINTS; r++) {
    const x0 = (0.1 + 0.9 * rng.uniform()) * (rng.uniform() < 0.5 ? -1 : 1);
    const x1 = (0.1 + 0.9 * rng.uniform()) * (rng.uniform() < 0.5 ? -1 : 1);
    inputs[2 * r] = x0;
    inputs[2 * r + 1] = x1;
    labels[r] = x0 * x1 > 0 ? 1 : 0;
    targets[2 * r + labels[r]!] = 1;
  }
  return { size: POINTS, inputs, labels, targets };
}

const cases: { activation: Activation; output: Activation; loss: LossType; dtype: DType; lr: number }[] = [
  { activation: "relu", output: "identity", loss: "cross_entropy", dtype: "float32", lr: 0.5 },
  { activation: "tanh", output: "identity", loss: "cross_entropy", dtype: "float64", lr: 0.5 },
  { activation: "tanh", output: "sigmoid", loss: "mse", dtype: "float64", lr: 2 },
];

describe("training a small MLP", () => {
  for (const { activation, output, loss, dtype, lr } of cases) {
    it(`${activation}→${output}, ${loss}, ${dtype}: fits XOR quadrants`, async () => {
      const spec: ModelSpec = { inputs: 2, layers: mlpLayers(2, [16], 2, activation, output), loss: { type: loss, reduction: "mean" }, dtype };
      const xavier = { type: "xavier", std: 0, limit: 0, gain: null, distribution: "normal" } as const;
      const zeros = { ...xavier, type: "zeros" } as const;
      const initial = initParams(spec, { weights: xavier, biases: zeros }, 3);
      const model = await manualBackend.createModel(spec, initial, { type: "sgd", momentum: 0, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0 });
      const batch = quadrants(dtype);
      const firstLoss = await model.trainStep(batch, lr);
      let lastLoss = firstLoss;
      for (let step = 1; step < 1000; step++) lastLoss = await model.trainStep(batch, lr);
      expect(lastLoss).toBeLessThan(0.1 * firstLoss);

      const outputs = await model.predict(batch.inputs, POINTS);
      let correct = 0;
      for (let r = 0; r < POINTS; r++) if (Number(outputs[2 * r + 1]! > outputs[2 * r]!) === batch.labels![r]) correct++;
      expect(correct / POINTS).toBeGreaterThanOrEqual(0.95);
    });
  }
});
