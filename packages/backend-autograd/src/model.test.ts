import {
  initParams,
  mlpLayers,
  Rng,
  UserError,
  type Activation,
  type Batch,
  type LossSpec,
  type ModelSpec,
  type OptimizerSpec,
  type ParamList,
} from "@crossprop/core";
import { describe, expect, it } from "vitest";
import { AutogradModel } from "./model.ts";

const INPUTS = 6;
const CLASSES = 3;
const ROWS = 4;
const NORMAL = { type: "normal" as const, std: 1, limit: 1, gain: null, distribution: "normal" as const };
const SGD: OptimizerSpec = { type: "sgd", momentum: 0, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0 };

function specOf(hidden: number[], activation: Activation, output: Activation, loss: LossSpec, dtype: "float32" | "float64" = "float64"): ModelSpec {
  return { inputs: INPUTS, layers: mlpLayers(INPUTS, hidden, CLASSES, activation, output), loss, dtype };
}

function batchOf(spec: ModelSpec, rows = ROWS, seed = 1): Batch {
  const rng = new Rng(seed, "model-test");
  const inputs = spec.dtype === "float64" ? new Float64Array(rows * INPUTS) : new Float32Array(rows * INPUTS);
  for (let i = 0; i < inputs.length; i++) inputs[i] = rng.uniform() < 0.3 ? 0 : rng.normal();
  const labels = Int32Array.from({ length: rows }, () => rng.int(CLASSES));
  const targets = new Float64Array(rows * CLASSES).map(() => rng.uniform());
  return { size: rows, inputs, labels, targets: spec.dtype === "float64" ? targets : Float32Array.from(targets) };
}

function modelOf(spec: ModelSpec, seed = 0): { model: AutogradModel; initial: ParamList } {
  const initial = initParams(spec, { weights: NORMAL, biases: NORMAL }, seed);
  return { model: new AutogradModel(spec, initial, SGD), initial };
}

describe("AutogradModel", () => {
  const spec = specOf([5], "relu", "identity", { type: "cross_entropy", reduction: "mean" });

  it("gives bit-identical float32 gradients and losses from two models with the same parameters", async () => {
    const spec32 = { ...spec, dtype: "float32" as const };
    const run = async () => {
      const { model } = modelOf(spec32);
      const batch = batchOf(spec32);
      const losses = [await model.trainStep(batch, 0.1), await model.trainStep(batch, 0.1)];
      const { gradients } = await model.lossAndGradients(batch);
      return { losses, gradients: gradients.map((g) => Buffer.from(g.data.buffer).toString("hex")) };
    };
    expect(await run()).toEqual(await run());
  });

  it("lossAndGradients leaves the parameters alone and returns copies", async () => {
    const { model, initial } = modelOf(spec);
    const first = await model.lossAndGradients(batchOf(spec));
    first.gradients[0]!.data.fill(123);
    const second = await model.lossAndGradients(batchOf(spec));
    expect(second.loss).toBe(first.loss);
    expect(second.gradients[0]!.data[0]).not.toBe(123);
    expect(second.gradients.map((g) => g.name)).toEqual(initial.map((p) => p.name));
    expect((await model.getParams()).map((p) => Array.from(p.data))).toEqual(initial.map((p) => Array.from(p.data)));
  });

  it("trainStep returns the loss before the update and moves each parameter by -lr · grad", async () => {
    const { model, initial } = modelOf(spec);
    const batch = batchOf(spec);
    const { loss, gradients } = await model.lossAndGradients(batch);
    expect(await model.trainStep(batch, 0.1)).toBe(loss);
    const after = await model.getParams();
    after.forEach((param, i) => param.data.forEach((value, e) => expect(value).toBe(initial[i]!.data[e]! - 0.1 * gradients[i]!.data[e]!)));
    expect(await model.trainStep(batch, 0.1)).toBeLessThan(loss);
  });

  it("predict gives [count, outputs] of the last activated layer, and matches the loss", async () => {
    const sigmoidSpec = specOf([5], "tanh", "sigmoid", { type: "mse", reduction: "sum" });
    const { model } = modelOf(sigmoidSpec);
    const batch = batchOf(sigmoidSpec);
    const outputs = await model.predict(batch.inputs, ROWS);
    expect(outputs).toHaveLength(ROWS * CLASSES);
    expect(outputs.every((v) => v > 0 && v < 1)).toBe(true);
    const squared = Array.from(outputs).reduce((s, v, i) => s + (v - batch.targets![i]!) ** 2, 0);
    expect((await model.lossAndGradients(batch)).loss).toBeCloseTo(squared, 12);
    expect(await model.predict(batch.inputs, 2)).toEqual(outputs.subarray(0, 2 * CLASSES));
  });

  it("predicts more rows than one chunk (1024) exactly as row by row", async () => {
    const { model } = modelOf(spec);
    const big = batchOf(spec, 2500, 7);
    const all = await model.predict(big.inputs, 2500);
    for (const row of [0, 1023, 1024, 2499]) {
      const one = await model.predict(big.inputs.subarray(row * INPUTS, (row + 1) * INPUTS), 1);
      expect(Array.from(all.subarray(row * CLASSES, (row + 1) * CLASSES))).toEqual(Array.from(one));
    }
  });

  it("get/setParams copy in both directions", async () => {
    const { model, initial } = modelOf(spec);
    const params = await model.getParams();
    params[0]!.data.fill(0);
    expect((await model.getParams())[0]!.data[0]).toBe(initial[0]!.data[0]);
    await model.setParams(params);
    params[0]!.data.fill(1);
    expect((await model.getParams())[0]!.data[0]).toBe(0);
    await expect(model.setParams(params.slice(1))).rejects.toThrow(UserError);
  });

  it("takes a partial batch after full ones, and reads only the first size rows", async () => {
    const { model } = modelOf(spec);
    const full = batchOf(spec, ROWS);
    await model.trainStep(full, 0.1);
    const partial: Batch = { ...full, size: 2 };
    const exact: Batch = { size: 2, inputs: full.inputs.subarray(0, 2 * INPUTS), labels: full.labels!.subarray(0, 2), targets: null };
    expect((await model.lossAndGradients(partial)).loss).toBe((await model.lossAndGradients(exact)).loss);
    await model.trainStep(exact, 0.1);
    await model.trainStep(full, 0.1);
  });

  it("computes in float32 when the spec says so, allocating nothing new after the first step", async () => {
    const spec32 = specOf([5, 4], "sigmoid", "identity", { type: "cross_entropy", reduction: "sum" }, "float32");
    const { model } = modelOf(spec32);
    const batch = batchOf(spec32);
    const { gradients } = await model.lossAndGradients(batch);
    expect(gradients[0]!.data).toBeInstanceOf(Float32Array);
    expect(await model.predict(batch.inputs, ROWS)).toBeInstanceOf(Float32Array);
    await model.trainStep(batch, 0.01);
    const bytes = model.pooledBytes;
    for (let i = 0; i < 20; i++) await model.trainStep(batch, 0.01);
    expect(model.pooledBytes).toBe(bytes);
  });

  it("reports a batch without the labels or targets its loss needs as a UserError", async () => {
    const { model } = modelOf(spec);
    await expect(model.trainStep({ ...batchOf(spec), labels: null }, 0.1)).rejects.toThrow("needs class labels");
    const mseSpec = specOf([5], "relu", "identity", { type: "mse", reduction: "mean" });
    await expect(modelOf(mseSpec).model.lossAndGradients({ ...batchOf(mseSpec), targets: null })).rejects.toThrow(UserError);
  });

  it("refuses parameters of the wrong shape, and any use after dispose", async () => {
    const wrong = initParams(specOf([4], "relu", "identity", spec.loss), { weights: NORMAL, biases: NORMAL }, 0);
    expect(() => new AutogradModel(spec, wrong, SGD)).toThrow("should be layers.0.weight [6, 5]");
    const { model } = modelOf(spec);
    model.dispose();
    await expect(model.predict(new Float64Array(INPUTS), 1)).rejects.toThrow("disposed");
  });
});
