import { describe, expect, it } from "vitest";
import { checkSpec, initParams, mlpLayers, Rng, type Batch, type ModelSpec, type OptimizerSpec } from "@crossprop/core";
import { manualBackend } from "./index.ts";
import { supports } from "./supports.ts";

const NORMAL = { type: "normal", std: 0.5, limit: 0, gain: null, distribution: "normal" } as const;

describe("supports", () => {
  it("is what manualBackend declares", () => {
    expect(manualBackend.supports).toBe(supports);
  });

  it("holds only what the backend computes: every declared combination passes checkSpec and trains to a finite loss", async () => {
    for (const dtype of supports.dtypes) {
      for (const activation of supports.activations) {
        for (const type of supports.losses) {
          for (const optimizerType of supports.optimizers) {
            const outputs = type === "sigmoid_distance" || type === "bce" ? 1 : 2;
            const spec: ModelSpec = { inputs: 3, layers: mlpLayers(3, [4], outputs, activation, "identity"), loss: { type, reduction: "mean" }, dtype };
            const optimizer: OptimizerSpec = { type: optimizerType, momentum: 0.9, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0.01 };
            const what = `${dtype} ${activation} ${type} ${optimizerType}`;
            expect(() => checkSpec(spec, optimizer, [manualBackend]), what).not.toThrow();
            const model = await manualBackend.createModel(spec, initParams(spec, { weights: NORMAL, biases: NORMAL }, 1), optimizer);
            const rng = new Rng(2, "data");
            const inputs = dtype === "float64" ? new Float64Array(6) : new Float32Array(6);
            for (let j = 0; j < inputs.length; j++) inputs[j] = rng.normal();
            const batch: Batch = type === "mse"
              ? { size: 2, inputs, labels: null, targets: Float64Array.of(0.5, -0.5, 1, 0) }
              : { size: 2, inputs, labels: Int32Array.of(1, 0), targets: null };
            expect(Number.isFinite(await model.trainStep(batch, 0.1)), what).toBe(true);
            model.dispose();
          }
        }
      }
    }
  });
});
