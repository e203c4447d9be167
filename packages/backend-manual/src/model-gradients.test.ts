import { describe, expect, it } from "vitest";
import {
  Rng,
  allIndices,
  checkGradientAsync,
  initParams,
  mlpLayers,
  type Activation,
  type Batch,
  type InitSpec,
  type LossType,
  type ModelSpec,
  type OptimizerSpec,
  type ParamList,
  type Reduction,
} from "@crossprop/core";
import { manualBackend } from "./index.ts";

// Losses here reach |L| ≈ 170, so rounding error O(eps·|L|/h) dominates: h = 1e-5 (near the optimal
// eps^(1/3)) keeps it ≈ 1e-9 absolute with O(h²) truncation below that. Relative to
// max(|a|, |n|, 1e-3) the worst measured error is 1e-7; 1e-6 leaves a 10× margin and still catches
// any wrong term, which is off by O(1) relative.
const TOLERANCE = 1e-6;
const FLOOR = 1e-3;
const STEP = 1e-5;
/** ReLU pre-activations must be this far from 0; a step-h change of one parameter moves them ≪ 1e-3. */
const KINK_MARGIN = 1e-3;

const INPUTS = 5;
const HIDDEN = [4, 3];
const ROWS = 6;
const SGD: OptimizerSpec = { type: "sgd", momentum: 0, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0 };

/** One loss setting of the grid: binary losses read one logit, mse also fits one regression value. */
interface LossCase {
  type: LossType;
  reduction: Reduction;
  scale?: number;
  outputs: number;
}

/** Losses that read logits get an identity output; mse also checks the backward of an activated output. */
function makeSpec(inputs: number, hidden: number[], activation: Activation, loss: LossCase): ModelSpec {
  const output = loss.type === "mse" ? activation : "identity";
  const { type, reduction, scale } = loss;
  return { inputs, layers: mlpLayers(inputs, hidden, loss.outputs, activation, output), loss: { type, reduction, scale }, dtype: "float64" };
}

/**
 * Inputs with some exact zeros (the sparse path), or pixel-like (80% zeros, k/255); labels in
 * [0, outputs), 0/1 for one output; dense targets.
 */
function makeBatch(seed: number, inputs: number, outputs: number, pixels = false): Batch {
  const rng = new Rng(seed, "data");
  const input = () => (pixels ? (rng.uniform() < 0.8 ? 0 : (1 + rng.int(255)) / 255) : rng.uniform() < 0.25 ? 0 : rng.normal());
  return {
    size: ROWS,
    inputs: Float64Array.from({ length: ROWS * inputs }, input),
    labels: Int32Array.from({ length: ROWS }, () => rng.int(Math.max(outputs, 2))),
    targets: Float64Array.from({ length: ROWS * outputs }, () => rng.normal()),
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

/** Checks every gradient of `spec`'s model at seeded parameters against central differences of its loss. */
async function checkModelGradients(spec: ModelSpec, batch: Batch, init: InitSpec, seed: number): Promise<void> {
  const params = initParams(spec, { weights: init, biases: init }, seed);
  if (spec.layers.some((layer) => layer.activation === "relu")) {
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
}

const NORMAL: InitSpec = { type: "normal", std: 1, limit: 0, gain: null, distribution: "normal" };

describe("ManualModel.lossAndGradients matches central differences of its own loss (float64)", () => {
  const activations: Activation[] = ["relu", "tanh", "sigmoid", "identity"];
  const losses: LossCase[] = [
    { type: "cross_entropy", reduction: "mean", outputs: 3 },
    { type: "cross_entropy", reduction: "sum", outputs: 3 },
    { type: "cross_entropy", reduction: "mean", scale: 2.5, outputs: 3 },
    { type: "mse", reduction: "mean", outputs: 3 },
    { type: "mse", reduction: "sum", outputs: 3 },
    // Notebook 001's regression: one value per row, ½·Σ squared errors.
    { type: "mse", reduction: "sum", scale: 0.5, outputs: 1 },
    { type: "sigmoid_distance", reduction: "mean", outputs: 1 },
    { type: "sigmoid_distance", reduction: "sum", scale: 2.5, outputs: 1 },
    { type: "bce", reduction: "mean", scale: 0.5, outputs: 1 },
    { type: "bce", reduction: "sum", outputs: 1 },
  ];
  for (const activation of activations) {
    for (const loss of losses) {
      it(`${activation} hidden layers, ${loss.type} ${loss.reduction}, scale ${loss.scale ?? "absent"}, ${loss.outputs} output(s)`, async () => {
        const spec = makeSpec(INPUTS, HIDDEN, activation, loss);
        await checkModelGradients(spec, makeBatch(12, INPUTS, loss.outputs), NORMAL, 11);
      });
    }
  }

  // MNIST-shaped binary classifiers (one digit against another): 784 pixel-like inputs → 8 relu → 1 logit.
  for (const loss of [
    { type: "sigmoid_distance", reduction: "mean", scale: 2, outputs: 1 },
    { type: "bce", reduction: "sum", outputs: 1 },
  ] as const satisfies readonly LossCase[]) {
    it(`784 pixels → [8] relu → 1, ${loss.type} ${loss.reduction}`, async () => {
      const spec = makeSpec(784, [8], "relu", loss);
      // std 0.1: with ~160 nonzero pixels per row the relu layer sees O(1) pre-activations, not O(10).
      await checkModelGradients(spec, makeBatch(13, 784, 1, true), { ...NORMAL, std: 0.1 }, 15);
    });
  }
});
