import {
  allIndices,
  checkGradientAsync,
  initParams,
  mlpLayers,
  Rng,
  type Activation,
  type Batch,
  type LossSpec,
  type ModelSpec,
  type OptimizerSpec,
} from "@crossprop/core";
import { describe, expect, it } from "vitest";
import { GRADIENT_TOLERANCE, STEP } from "./finite-differences.fixture.ts";
import { AutogradModel } from "./model.ts";

const ROWS = 4;
const NORMAL = { type: "normal" as const, std: 1, limit: 1, gain: null, distribution: "normal" as const };
const SGD: OptimizerSpec = { type: "sgd", momentum: 0, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0 };

interface GradientCase {
  name: string;
  spec: ModelSpec;
}

function specOf(inputs: number, hidden: number[], outputs: number, activation: Activation, output: Activation, loss: LossSpec): ModelSpec {
  return { inputs, layers: mlpLayers(inputs, hidden, outputs, activation, output), loss, dtype: "float64" };
}

/** Inputs with some exact zeros (the sparse matmul path), labels for the loss, dense targets of the output width. */
function batchOf(spec: ModelSpec, seed = 1): Batch {
  const rng = new Rng(seed, "model-gradients");
  const width = spec.layers[spec.layers.length - 1]!.outputs;
  const classes = spec.loss.type === "sigmoid_distance" || spec.loss.type === "bce" ? 2 : width;
  const inputs = Float64Array.from({ length: ROWS * spec.inputs }, () => (rng.uniform() < 0.3 ? 0 : rng.normal()));
  const labels = Int32Array.from({ length: ROWS }, () => rng.int(classes));
  const targets = Float64Array.from({ length: ROWS * width }, () => rng.uniform());
  return { size: ROWS, inputs, labels, targets };
}

function gradientCases(): GradientCase[] {
  const cases: GradientCase[] = [];
  const activations = ["relu", "tanh", "sigmoid", "identity"] as const;
  for (const reduction of ["mean", "sum"] as const) {
    for (const activation of activations) {
      // Classification 6 → 5 → 3: logits for cross entropy, activated outputs for mse.
      cases.push({ name: `cross_entropy/${reduction}, ${activation} hidden`, spec: specOf(6, [5], 3, activation, "identity", { type: "cross_entropy", reduction }) });
      cases.push({ name: `mse/${reduction}, ${activation} everywhere`, spec: specOf(6, [5], 3, activation, "sigmoid", { type: "mse", reduction }) });
      // One logit per row against 0/1 labels.
      for (const type of ["sigmoid_distance", "bce"] as const) {
        cases.push({ name: `${type}/${reduction}, 6 → 5 ${activation} → 1`, spec: specOf(6, [5], 1, activation, "identity", { type, reduction }) });
      }
    }
    // Notebook 001's linear regression, 3 → 1, and a regression MLP with one output.
    cases.push({ name: `mse/${reduction}, linear regression 3 → 1`, spec: specOf(3, [], 1, "identity", "identity", { type: "mse", reduction }) });
    cases.push({ name: `mse/${reduction}, 3 → 4 tanh → 1`, spec: specOf(3, [4], 1, "tanh", "identity", { type: "mse", reduction }) });
  }
  // Loss scale ≠ 1, for every loss type (0.5 with sum: notebook 001's ½·Σ squared errors).
  cases.push({ name: "mse/sum scale 0.5, linear regression 3 → 1", spec: specOf(3, [], 1, "identity", "identity", { type: "mse", reduction: "sum", scale: 0.5 }) });
  cases.push({ name: "cross_entropy/mean scale 2.5", spec: specOf(6, [5], 3, "tanh", "identity", { type: "cross_entropy", reduction: "mean", scale: 2.5 }) });
  cases.push({ name: "sigmoid_distance/sum scale 0.5", spec: specOf(6, [5], 1, "relu", "identity", { type: "sigmoid_distance", reduction: "sum", scale: 0.5 }) });
  cases.push({ name: "bce/mean scale 3", spec: specOf(6, [5], 1, "sigmoid", "identity", { type: "bce", reduction: "mean", scale: 3 }) });
  return cases;
}

describe("AutogradModel gradients", () => {
  for (const { name, spec } of gradientCases()) {
    it(`${name}: every parameter gradient matches central differences`, async () => {
      const initial = initParams(spec, { weights: NORMAL, biases: NORMAL }, 0);
      const model = new AutogradModel(spec, initial, SGD);
      const batch = batchOf(spec);
      const { gradients } = await model.lossAndGradients(batch);
      const params = initial.map((p) => ({ ...p, data: Float64Array.from(p.data) }));
      const lossAt = async () => {
        await model.setParams(params);
        return (await model.lossAndGradients(batch)).loss;
      };
      for (const [i, param] of params.entries()) {
        const check = await checkGradientAsync(lossAt, param.data, gradients[i]!.data, allIndices(param.data.length), { step: STEP, floor: 1e-2 });
        expect(check.maxRelativeError, param.name).toBeLessThan(GRADIENT_TOLERANCE);
      }
    });
  }

  it("loss scale multiplies the loss and every gradient, nothing else", async () => {
    const base = specOf(6, [5], 1, "tanh", "identity", { type: "bce", reduction: "mean" });
    const initial = initParams(base, { weights: NORMAL, biases: NORMAL }, 0);
    const batch = batchOf(base);
    const plain = await new AutogradModel(base, initial, SGD).lossAndGradients(batch);
    const scaled = await new AutogradModel({ ...base, loss: { ...base.loss, scale: 0.25 } }, initial, SGD).lossAndGradients(batch);
    // A power of two: scaling is exact, so bit equality is the point.
    expect(scaled.loss).toBe(plain.loss * 0.25);
    scaled.gradients.forEach((g, i) => expect(Array.from(g.data)).toEqual(Array.from(plain.gradients[i]!.data, (v) => v * 0.25)));
  });
});
