import { describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs";
import { UserError } from "@crossprop/core";
import { createTfjsBackend } from "./index.ts";
import { SGD, smallBatch, smallParams, smallSpec } from "./small-models.fixture.ts";

const backend = createTfjsBackend({ engine: "cpu" });

describe("batchTensors, through a model", () => {
  it("refuses batches without what the loss needs, or with labels out of range, leaking nothing", async () => {
    const spec = smallSpec([3], "tanh", "identity", { type: "cross_entropy", reduction: "mean" });
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
