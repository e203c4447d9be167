import { BACKEND_NAMES, loadBackend } from "@crossprop/backends";
import { checkSpec, initParams, mlpLayers, Rng, type Batch, type ModelSpec, type OptimizerSpec } from "@crossprop/core";
import { describe, expect, it } from "vitest";

const NORMAL = { type: "normal", std: 0.5, limit: 0, gain: null, distribution: "normal" } as const;

/** Two rows of three features: labels for the classification losses, targets for mse. */
function tinyBatch(spec: ModelSpec): Batch {
  const rng = new Rng(2, "data");
  const inputs = spec.dtype === "float64" ? new Float64Array(6) : new Float32Array(6);
  for (let j = 0; j < inputs.length; j++) inputs[j] = rng.normal();
  const width = spec.layers.at(-1)!.outputs;
  return spec.loss.type === "mse"
    ? { size: 2, inputs, labels: null, targets: Float64Array.from({ length: 2 * width }, (_, i) => (i % 3) / 2) }
    : { size: 2, inputs, labels: Int32Array.of(1, 0), targets: null };
}

// A backend's `supports` is a promise: every combination it declares passes core's checks and trains.
// (How closely it trains is the conformance suite's business; this catches a declaration that lies.)
describe("declared support", () => {
  for (const name of BACKEND_NAMES) {
    it(`${name}: every declared dtype × activation × loss × optimizer passes checkSpec and trains to a finite loss`, async () => {
      const backend = await loadBackend(name);
      const { dtypes, activations, losses, optimizers } = backend.supports;
      for (const dtype of dtypes) {
        for (const activation of activations) {
          for (const type of losses) {
            for (const optimizerType of optimizers) {
              const outputs = type === "sigmoid_distance" || type === "bce" ? 1 : 2;
              const spec: ModelSpec = { inputs: 3, layers: mlpLayers(3, [4], outputs, activation, "identity"), loss: { type, reduction: "mean" }, dtype };
              const optimizer: OptimizerSpec = { type: optimizerType, momentum: 0.9, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0.01 };
              const what = `${dtype} ${activation} ${type} ${optimizerType}`;
              expect(() => checkSpec(spec, optimizer, [backend]), what).not.toThrow();
              const model = await backend.createModel(spec, initParams(spec, { weights: NORMAL, biases: NORMAL }, 1), optimizer);
              expect(Number.isFinite(await model.trainStep(tinyBatch(spec), 0.1)), what).toBe(true);
              model.dispose();
            }
          }
        }
      }
    });
  }
});
