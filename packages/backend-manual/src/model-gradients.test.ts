import { describe, expect, it } from "vitest";
import {
  Rng,
  allIndices,
  checkGradientAsync,
  initParams,
  mlpLayers,
  type Activation,
  type Batch,
  type LossType,
  type ModelSpec,
  type OptimizerSpec,
  type ParamList,
  type Reduction,
} from "@crossprop/core";
import { manualBackend } from "./index.ts";

// Losses here reach |L| ≈ 35, so rounding error O(eps·|L|/h) dominates: h = 1e-5 (near the optimal
// eps^(1/3)) keeps it ≈ 1e-9 absolute with O(h²) truncation below that. Relative to
// max(|a|, |n|, 1e-3) the worst measured error is 6e-8; 1e-6 leaves a 15× margin and still catches
// any wrong term, which is off by O(1) relative.
const TOLERANCE = 1e-6;
const FLOOR = 1e-3;
const STEP = 1e-5;
/** ReLU pre-activations must be this far from 0; a step-h change of one parameter moves them ≪ 1e-3. */
const KINK_MARGIN = 1e-3;

const INPUTS = 5;
const HIDDEN = [4, 3];
const OUTPUTS = 3;
const ROWS = 6;
const SGD: OptimizerSpec = { type: "sgd", momentum: 0, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0 };

/** cross_entropy reads logits (identity output); mse also checks the backward of an activated output. */
function makeSpec(activation: Activation, type: LossType, reduction: Reduction): ModelSpec {
  const output = type === "cross_entropy" ? "identity" : activation;
  return { inputs: INPUTS, layers: mlpLayers(INPUTS, HIDDEN, OUTPUTS, activation, output), loss: { type, reduction }, dtype: "float64" };
}

/** Inputs with some exact zeros (the sparse path), integer labels and dense targets. */
function makeBatch(seed: number): Batch {
  const rng = new Rng(seed, "data");
  return {
    size: ROWS,
    inputs: Float64Array.from({ length: ROWS * INPUTS }, () => (rng.uniform() < 0.25 ? 0 : rng.normal())),
    labels: Int32Array.from({ length: ROWS }, () => rng.int(OUTPUTS)),
    targets: Float64Array.from({ length: ROWS * OUTPUTS }, () => rng.normal()),
  };
}

/** The smallest |pre-activation| of any ReLU layer, by a plain reference forward pass. */
function smallestReluPreactivation(spec: ModelSpec, params: ParamList, batch: Batch): number {
  let smallest = Number.POSITIVE_INFINITY;
  for (let r = 0; r < batch.size; r++) {
    let x = Array.from(batch.inputs.subarray(r * spec.inputs, (r + 1) * spec.inputs));
    spec.layers.forEach((layer, l) => {
      const weight = params[2 * l]!.data;
      const bias = params[2 * l + 1]!.data;
      const z = Array.from({ length: layer.outputs }, (_, o) => x.reduce((sum, xi, i) => sum + xi * weight[i * layer.outputs + o]!, bias[o]!));
      if (layer.activation === "relu") for (const value of z) smallest = Math.min(smallest, Math.abs(value));
      x = z.map((value) => (layer.activation === "relu" ? Math.max(0, value) : value));
    });
  }
  return smallest;
}

describe("ManualModel.lossAndGradients matches central differences of its own loss (float64)", () => {
  const activations: Activation[] = ["relu", "tanh", "sigmoid", "identity"];
  const losses: [LossType, Reduction][] = [["cross_entropy", "mean"], ["cross_entropy", "sum"], ["mse", "mean"], ["mse", "sum"]];
  for (const activation of activations) {
    for (const [lossType, reduction] of losses) {
      it(`${activation} hidden layers, ${lossType} ${reduction}`, async () => {
        const spec = makeSpec(activation, lossType, reduction);
        const normal = { type: "normal", std: 1, limit: 0, gain: null, distribution: "normal" } as const;
        const params = initParams(spec, { weights: normal, biases: normal }, 11);
        const batch = makeBatch(12);
        if (activation === "relu") {
          expect(smallestReluPreactivation(spec, params, batch)).toBeGreaterThan(KINK_MARGIN);
        }
        const model = await manualBackend.createModel(spec, params, SGD);
        const { gradients } = await model.lossAndGradients(batch);
        const loss = async () => {
          await model.setParams(params);
          return (await model.lossAndGradients(batch)).loss;
        };
        for (let t = 0; t < params.length; t++) {
          const x = params[t]!.data as Float64Array;
          const check = await checkGradientAsync(loss, x, gradients[t]!.data, allIndices(x.length), { step: STEP, floor: FLOOR });
          expect(check.maxRelativeError, `${params[t]!.name}[${check.worstIndex}]`).toBeLessThan(TOLERANCE);
        }
        model.dispose();
      });
    }
  }
});
