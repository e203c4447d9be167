import { describe, expect, it } from "vitest";
import { Rng, initParams, mlpLayers, type Batch, type ModelSpec, type OptimizerSpec, type OptimizerType, type ParamList } from "@crossprop/core";
import { manualBackend } from "./index.ts";
import { ReferenceOptimizer, maxRelativeDifference } from "./reference-optimizer.fixture.ts";

const SPEC: ModelSpec = { inputs: 4, layers: mlpLayers(4, [5], 3, "tanh", "identity"), loss: { type: "cross_entropy", reduction: "mean" }, dtype: "float64" };
const NORMAL = { type: "normal", std: 0.5, limit: 0, gain: null, distribution: "normal" } as const;
const TYPES: OptimizerType[] = ["sgd", "momentum", "adam", "adamw"];
const LRS = [0.1, 0.03, 0.2];
// float64 through the model: the update arithmetic differs from the reference by rounding only
// (measured ≤ 5.6e-15 relative over the three steps), and each step's gradient is taken at the
// model's own parameters, so nothing compounds: 1e-12. A lost or extra optimizer step (e.g. from
// lossAndGradients touching the moments) is off by ≥ 1e-3.
const TOLERANCE = 1e-12;
const FLOOR = 1e-2;

function optimizer(type: OptimizerType): OptimizerSpec {
  return { type, momentum: 0.9, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0.05 };
}

function makeBatch(seed: number): Batch {
  const rng = new Rng(seed, "data");
  const inputs = Float64Array.from({ length: 8 * 4 }, () => rng.normal());
  return { size: 8, inputs, labels: Int32Array.from({ length: 8 }, () => rng.int(3)), targets: null };
}

const data = (params: ParamList) => params.map((p) => p.data);

describe("ManualModel.trainStep with each optimizer", () => {
  for (const type of TYPES) {
    it(`${type}: three steps with weight decay and changing lr follow the float64 reference`, async () => {
      const initial = initParams(SPEC, { weights: NORMAL, biases: NORMAL }, 1);
      const model = await manualBackend.createModel(SPEC, initial, optimizer(type));
      const reference = new ReferenceOptimizer(optimizer(type), data(initial));
      for (const [step, lr] of LRS.entries()) {
        const batch = makeBatch(step + 1);
        // Called twice, and on another batch: lossAndGradients must leave the optimizer's state alone.
        await model.lossAndGradients(makeBatch(99));
        const { loss, gradients } = await model.lossAndGradients(batch);
        expect(await model.trainStep(batch, lr)).toBe(loss);
        reference.step(data(gradients), lr);
        expect(maxRelativeDifference(data(await model.getParams()), reference.params, FLOOR), `after step ${step + 1}`).toBeLessThan(TOLERANCE);
      }
      model.dispose();
    });
  }

  it("keeps optimizer state per model: interleaved models train exactly as one trained alone", async () => {
    const initial = initParams(SPEC, { weights: NORMAL, biases: NORMAL }, 2);
    const [alone, first, second] = await Promise.all([0, 1, 2].map(() => manualBackend.createModel(SPEC, initial, optimizer("adam"))));
    for (const step of [1, 2, 3]) await alone!.trainStep(makeBatch(step), 0.1);
    for (const step of [1, 2, 3]) {
      await first!.trainStep(makeBatch(step), 0.1);
      await second!.trainStep(makeBatch(step), 0.1);
    }
    // Bit identity is the point: the same arithmetic from the same state, whatever the other model did.
    expect(data(await first!.getParams())).toEqual(data(await alone!.getParams()));
    expect(data(await second!.getParams())).toEqual(data(await alone!.getParams()));
  });
});
