import { initParams, mlpLayers, UserError, type ModelSpec, type OptimizerSpec } from "@crossprop/core";
import { describe, expect, it } from "vitest";
import { autogradBackend } from "./index.ts";

const spec: ModelSpec = { inputs: 4, layers: mlpLayers(4, [3], 2, "relu", "identity"), loss: { type: "cross_entropy", reduction: "mean" }, dtype: "float32" };
const sgd: OptimizerSpec = { type: "sgd", momentum: 0, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0 };
const init = { type: "normal" as const, std: 1, limit: 1, gain: null, distribution: "normal" as const };
const initial = initParams(spec, { weights: init, biases: init }, 0);

describe("autogradBackend", () => {
  it("builds a typescript-autograd model holding copies of the initial parameters", async () => {
    expect(autogradBackend.name).toBe("autograd");
    const copy = initial.map((p) => ({ ...p, data: Float32Array.from(p.data) }));
    const model = await autogradBackend.createModel(spec, copy, sgd);
    expect(model.engine).toBe("typescript-autograd");
    copy[0]!.data.fill(0);
    expect((await model.getParams())[0]!.data).toEqual(initial[0]!.data);
  });

  it("builds every loss and optimizer of the contract", async () => {
    for (const type of ["sgd", "momentum", "adam", "adamw"] as const) {
      const model = await autogradBackend.createModel(spec, initial, { ...sgd, type, weightDecay: 0.01 });
      expect(await model.trainStep({ size: 1, inputs: new Float32Array(4).fill(1), labels: Int32Array.from([1]), targets: null }, 0.1)).toBeGreaterThan(0);
    }
    const binary = { ...spec, layers: mlpLayers(4, [3], 1, "relu", "identity"), loss: { type: "bce" as const, reduction: "mean" as const } };
    await expect(autogradBackend.createModel(binary, initParams(binary, { weights: init, biases: init }, 0), sgd)).resolves.toBeDefined();
  });

  it("refuses what it cannot build as UserErrors", async () => {
    await expect(autogradBackend.createModel(spec, initial, { ...sgd, type: "rmsprop" as OptimizerSpec["type"] })).rejects.toThrow(
      new UserError("backend autograd does not support optimizer 'rmsprop'"),
    );
    await expect(autogradBackend.createModel({ ...spec, loss: { type: "bce", reduction: "mean" } }, initial, sgd)).rejects.toThrow(
      "loss bce needs exactly 1 output (one logit per row), but the last layer (layers.1) has 2 outputs",
    );
  });

  it("rejects layers that do not chain", async () => {
    const broken = { ...spec, layers: [{ inputs: 4, outputs: 3, activation: "relu" as const }, { inputs: 5, outputs: 2, activation: "identity" as const }] };
    await expect(autogradBackend.createModel(broken, initial, sgd)).rejects.toThrow("layer 1 takes 5 inputs");
  });
});
