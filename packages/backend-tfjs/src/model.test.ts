import { describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs";
import type { ModelSpec } from "@crossprop/core";
import { availableEngines, type EngineChoice } from "./engine.ts";
import { createTfjsBackend } from "./index.ts";
import { finiteDifferenceGradients, referenceForward, referenceLoss } from "./float64-reference.fixture.ts";
import { relativeError, SGD, smallBatch, smallParams, smallSpec } from "./small-models.fixture.ts";

// Every engine this machine can load (tfjs-node is absent here; engine.test.ts checks its error).
const engines = (await availableEngines()).map((name) => name.replace("tfjs-", "") as EngineChoice);

// tfjs computes in float32 (ε ≈ 6e-8): over these short sums its losses and outputs were measured
// within 1.5e-7 of float64, its gradients within 3.2e-7 of float64 central differences (h = 1e-6,
// themselves exact to ~1e-9). Tolerances leave ~10× room and still catch any wrong formula or
// reduction: loss/outputs 1e-6 relative, gradients 1e-5 relative to each tensor's largest entry.
const LOSS_TOLERANCE = 1e-6;
const GRADIENT_TOLERANCE = 1e-5;

/** Every activation on a hidden and on an output layer, every loss, both reductions. */
const specs: [string, ModelSpec][] = [
  ["tanh → identity, cross_entropy mean", smallSpec([5], "tanh", "identity", { type: "cross_entropy", reduction: "mean" })],
  ["relu → sigmoid, cross_entropy sum", smallSpec([6], "relu", "sigmoid", { type: "cross_entropy", reduction: "sum" })],
  ["sigmoid, relu → tanh, mse mean", smallSpec([5, 4], "sigmoid", "tanh", { type: "mse", reduction: "mean" })],
  ["identity → relu, mse sum", smallSpec([4], "identity", "relu", { type: "mse", reduction: "sum" })],
  ["tanh → identity, mse sum scaled by ½", smallSpec([4], "tanh", "identity", { type: "mse", reduction: "sum", scale: 0.5 })],
  ["no hidden layer, cross_entropy mean", smallSpec([], "relu", "identity", { type: "cross_entropy", reduction: "mean" })],
  // One output: a logit for the binary losses, a value for regression.
  ["relu → identity, 1 output, sigmoid_distance mean", smallSpec([5], "relu", "identity", { type: "sigmoid_distance", reduction: "mean" }, 4, 1)],
  ["tanh → sigmoid, 1 output, sigmoid_distance sum scaled by 2", smallSpec([4], "tanh", "sigmoid", { type: "sigmoid_distance", reduction: "sum", scale: 2 }, 4, 1)],
  ["tanh → identity, 1 output, bce mean", smallSpec([5], "tanh", "identity", { type: "bce", reduction: "mean" }, 4, 1)],
  ["no hidden layer, 1 output, bce sum scaled by ½", smallSpec([], "relu", "identity", { type: "bce", reduction: "sum", scale: 0.5 }, 4, 1)],
  ["regression 3 → 1 (no hidden layer), mse mean", smallSpec([], "relu", "identity", { type: "mse", reduction: "mean" }, 3, 1)],
  ["regression 3 → 4 sigmoid → 1, mse sum", smallSpec([4], "sigmoid", "identity", { type: "mse", reduction: "sum" }, 3, 1)],
];

describe.each(engines)("tfjs engine %s", (engine) => {
  const backend = createTfjsBackend({ engine });

  it("reports the engine that ran", async () => {
    const spec = specs[0]![1];
    const model = await backend.createModel(spec, smallParams(spec), SGD);
    expect(model.engine).toBe(`tfjs-${engine}`);
    model.dispose();
  });

  it.each(specs)("%s: loss and gradients match float64 finite differences", async (_, spec) => {
    const params = smallParams(spec);
    const batch = smallBatch(spec, 7);
    const model = await backend.createModel(spec, params, SGD);
    const { loss, gradients } = await model.lossAndGradients(batch);
    model.dispose();

    expect(Math.abs(loss - referenceLoss(spec, params, batch)) / Math.abs(referenceLoss(spec, params, batch))).toBeLessThan(LOSS_TOLERANCE);
    const expected = finiteDifferenceGradients(spec, params, batch);
    expect(gradients.map((g) => g.name)).toEqual(params.map((p) => p.name));
    gradients.forEach((gradient, i) => {
      expect(gradient.shape).toEqual(params[i]!.shape);
      expect(gradient.data).toBeInstanceOf(Float32Array);
      expect(relativeError(gradient.data, expected[i]!), gradient.name).toBeLessThan(GRADIENT_TOLERANCE);
    });
  });

  it.each(specs)("%s: predict matches the float64 forward", async (_, spec) => {
    const params = smallParams(spec);
    // More rows than one predict chunk, so chunk boundaries are crossed.
    const batch = smallBatch(spec, 5000);
    const model = await backend.createModel(spec, params, SGD);
    const outputs = await model.predict(batch.inputs, batch.size);
    model.dispose();
    expect(outputs).toBeInstanceOf(Float32Array);
    expect(outputs.length).toBe(5000 * spec.layers[spec.layers.length - 1]!.outputs);
    expect(relativeError(outputs, referenceForward(spec, params, batch.inputs, batch.size))).toBeLessThan(LOSS_TOLERANCE);
  });

  it("lossAndGradients leaves the parameters unchanged", async () => {
    const spec = specs[1]![1];
    const model = await backend.createModel(spec, smallParams(spec), SGD);
    const before = await model.getParams();
    await model.lossAndGradients(smallBatch(spec, 9));
    // Bit-identity is the point: nothing may have been written.
    expect(await model.getParams()).toEqual(before);
    model.dispose();
  });

  it("trainStep applies SGD, p ← p − lr·g, and returns the loss before the update", async () => {
    const spec = specs[2]![1];
    const batch = smallBatch(spec, 8);
    const lr = 0.37;
    const model = await backend.createModel(spec, smallParams(spec), SGD);
    const before = await model.getParams();
    const { loss, gradients } = await model.lossAndGradients(batch);
    const stepLoss = await model.trainStep(batch, lr);
    const after = await model.getParams();
    model.dispose();

    // Same float32 computation on the same engine: only float32 rounding may differ.
    expect(Math.abs(stepLoss - loss) / loss).toBeLessThan(1e-6);
    after.forEach((param, i) => {
      const expected = before[i]!.data.map((p, j) => p - lr * gradients[i]!.data[j]!);
      // One float32 multiply-add per entry: ~2 ulp of the larger operand.
      expect(relativeError(param.data, expected), param.name).toBeLessThan(1e-6);
    });
  });

  it("trainStep with weightDecay: g ← g + weightDecay·p, then p ← p − lr·g (torch.optim.SGD)", async () => {
    const spec = specs[0]![1];
    const batch = smallBatch(spec, 8);
    const [lr, weightDecay] = [0.3, 0.05];
    const model = await backend.createModel(spec, smallParams(spec), { ...SGD, weightDecay });
    const before = await model.getParams();
    // The decay is an update rule, not part of the loss: lossAndGradients reports d(loss)/dp alone.
    const { loss, gradients } = await model.lossAndGradients(batch);
    expect(Math.abs(loss - referenceLoss(spec, before, batch)) / loss).toBeLessThan(LOSS_TOLERANCE);
    await model.trainStep(batch, lr);
    const after = await model.getParams();
    model.dispose();
    after.forEach((param, i) => {
      const expected = before[i]!.data.map((p, j) => p - lr * (gradients[i]!.data[j]! + weightDecay * p));
      expect(relativeError(param.data, expected), param.name).toBeLessThan(1e-6);
    });
  });

  it("trainStep follows a changing learning rate", async () => {
    const spec = specs[0]![1];
    const batch = smallBatch(spec, 8);
    const model = await backend.createModel(spec, smallParams(spec), SGD);
    await model.trainStep(batch, 0.5);
    const before = await model.getParams();
    const { gradients } = await model.lossAndGradients(batch);
    await model.trainStep(batch, 0.05);
    const after = await model.getParams();
    model.dispose();
    after.forEach((param, i) => {
      const expected = before[i]!.data.map((p, j) => p - 0.05 * gradients[i]!.data[j]!);
      expect(relativeError(param.data, expected), param.name).toBeLessThan(1e-6);
    });
  });

  it("holds a constant number of tensors across steps, predicts and parameter copies, and frees them all", async () => {
    const spec = specs[2]![1];
    const start = tf.memory().numTensors;
    const model = await backend.createModel(spec, smallParams(spec), SGD);
    const held = tf.memory().numTensors;
    const batch = smallBatch(spec, 16);
    const counts: number[] = [];
    for (let step = 0; step < 50; step++) {
      await model.trainStep(batch, step % 2 === 0 ? 0.1 : 0.2);
      await model.lossAndGradients(batch);
      await model.predict(batch.inputs, batch.size);
      await model.setParams(await model.getParams());
      counts.push(tf.memory().numTensors);
    }
    expect(counts).toEqual(counts.map(() => held));
    model.dispose();
    expect(tf.memory().numTensors).toBe(start);
    await expect(model.trainStep(batch, 0.1)).rejects.toThrow(/disposed/);
  });

  it("copies parameters in and out: nothing aliases the caller's arrays", async () => {
    const spec = specs[0]![1];
    const initial = smallParams(spec);
    const pristine = smallParams(spec);
    const model = await backend.createModel(spec, initial, SGD);
    initial[0]!.data.fill(9);
    expect(await model.getParams()).toEqual(pristine);

    const copy = await model.getParams();
    copy[0]!.data.fill(7);
    expect(await model.getParams()).toEqual(pristine);

    const replacement = smallParams(spec, 5);
    const expected = smallParams(spec, 5);
    await model.setParams(replacement);
    replacement[1]!.data.fill(3);
    expect(await model.getParams()).toEqual(expected);

    // A step must not write into the caller's batch either.
    const batch = smallBatch(spec, 4);
    const inputs = Float32Array.from(batch.inputs);
    await model.trainStep(batch, 1);
    expect(batch.inputs).toEqual(inputs);
    model.dispose();
  });
});

describe("models on different engines in one process", () => {
  it("keep their own results when used alternately", async () => {
    const spec = specs[0]![1];
    const params = smallParams(spec);
    const batch = smallBatch(spec, 6);
    const models = await Promise.all(engines.map((engine) => createTfjsBackend({ engine }).createModel(spec, params, SGD)));
    const reference = referenceLoss(spec, params, batch);
    for (let round = 0; round < 3; round++) {
      for (const model of models) {
        const { loss } = await model.lossAndGradients(batch);
        expect(Math.abs(loss - reference) / reference, model.engine).toBeLessThan(LOSS_TOLERANCE);
      }
    }
    for (const model of models) model.dispose();
  });
});
