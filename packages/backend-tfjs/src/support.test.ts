import { describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs";
import { UserError, type ModelSpec, type OptimizerSpec } from "@crossprop/core";
import { createTfjsBackend } from "./index.ts";
import { SGD, smallBatch, smallParams, smallSpec } from "./fixtures.ts";

const backend = createTfjsBackend({ engine: "cpu" });
const spec = smallSpec([3], "tanh", "identity", { type: "cross_entropy", reduction: "mean" });

async function refusal(spec: ModelSpec, optimizer: OptimizerSpec = SGD, params = smallParams(spec)): Promise<UserError> {
  const error: unknown = await backend.createModel(spec, params, optimizer).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UserError);
  expect((error as UserError).exitCode).toBe(2);
  return error as UserError;
}

describe("what backend tfjs refuses, with a UserError (exit code 2)", () => {
  it("float64: tfjs has none on these engines", async () => {
    const error = await refusal({ ...spec, dtype: "float64" });
    expect(error.message).toMatch(/backend tfjs cannot train in dtype float64: TensorFlow\.js has no float64/);
    expect(error.path).toBe("dtype");
  });

  it("a loss or optimizer it does not know (a hand-built spec)", async () => {
    const loss = await refusal({ ...spec, loss: { type: "hinge" as "mse", reduction: "mean" } });
    expect(loss.message).toContain("backend tfjs does not support loss hinge");
    expect(loss.path).toBe("loss.type");
    const optimizer = await refusal(spec, { ...SGD, type: "rmsprop" as "sgd" });
    expect(optimizer.message).toContain("backend tfjs does not support optimizer rmsprop");
    expect(optimizer.path).toBe("optimizer.type");
  });

  it.each(["bce", "sigmoid_distance"] as const)("loss %s on a last layer wider than 1 output", async (type) => {
    const error = await refusal({ ...spec, loss: { type, reduction: "mean" } });
    expect(error.message).toBe(`loss ${type} needs a last layer of exactly 1 output (one logit per row), got 3 outputs`);
    expect(error.path).toBe("loss.type");
  });

  it.each([
    [{ type: "sgd", weightDecay: -0.1 }, "optimizer sgd: weight_decay must be ≥ 0, got -0.1", "optimizer.weight_decay"],
    [{ type: "momentum", momentum: 1 }, "optimizer momentum: momentum must be in [0, 1), got 1", "optimizer.momentum"],
    [{ type: "adam", beta2: Number.NaN }, "optimizer adam: beta2 must be in [0, 1), got NaN", "optimizer.beta2"],
    [{ type: "adamw", epsilon: 0 }, "optimizer adamw: epsilon must be > 0, got 0", "optimizer.epsilon"],
  ] as const)("optimizer coefficients outside the config schema's bounds: %o", async (fields, message, path) => {
    const error = await refusal(spec, { ...SGD, ...fields });
    expect(error.message).toBe(message);
    expect(error.path).toBe(path);
  });

  it("parameters that are not the spec's", async () => {
    const params = smallParams(spec);
    params[0] = { ...params[0]!, shape: [3, 4] };
    expect((await refusal(spec, SGD, params)).message).toContain("layers.0.weight [4, 3]");
    expect((await refusal(spec, SGD, params.slice(1))).message).toContain("expected 4 parameters");
  });

  it("layers that do not chain", async () => {
    const broken = { ...spec, layers: [spec.layers[0]!, { ...spec.layers[1]!, inputs: 7 }] };
    expect((await refusal(broken)).message).toContain("layer 1 takes 7 inputs but receives 3");
  });

  it("batches without what the loss needs, or with labels out of range, leaking nothing", async () => {
    const model = await backend.createModel(spec, smallParams(spec), SGD);
    const before = tf.memory().numTensors;
    const batch = smallBatch(spec, 4);
    await expect(model.trainStep({ ...batch, labels: null }, 0.1)).rejects.toThrow(/cross_entropy needs class labels/);
    await expect(model.lossAndGradients({ ...batch, labels: Int32Array.of(0, 1, 3, 2) })).rejects.toThrow(/label 3 at batch row 2 is outside 0\.\.2/);
    const mse = smallSpec([3], "tanh", "identity", { type: "mse", reduction: "mean" });
    const mseModel = await backend.createModel(mse, smallParams(mse), SGD);
    await expect(mseModel.trainStep(smallBatch(spec, 4), 0.1)).rejects.toBeInstanceOf(UserError);
    mseModel.dispose();
    const bce = smallSpec([3], "tanh", "identity", { type: "bce", reduction: "mean" }, 4, 1);
    const bceModel = await backend.createModel(bce, smallParams(bce), SGD);
    const binary = smallBatch(bce, 4);
    await expect(bceModel.trainStep({ ...binary, labels: null }, 0.1)).rejects.toThrow(/loss bce needs 0\/1 labels/);
    await expect(bceModel.lossAndGradients({ ...binary, labels: Int32Array.of(0, 1, 2, 1) })).rejects.toThrow(/label 2 at batch row 2 is not 0 or 1 \(loss bce\)/);
    bceModel.dispose();
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });
});
