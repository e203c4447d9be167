import { initParams, mlpLayers, type ModelSpec, type OptimizerSpec } from "@crossprop/core";
import { describe, expect, it } from "vitest";
import { autogradBackend, createAutogradBackend } from "./index.ts";

const spec: ModelSpec = { inputs: 4, layers: mlpLayers(4, [3], 2, "relu", "identity"), loss: { type: "cross_entropy", reduction: "mean" }, dtype: "float32" };
const sgd: OptimizerSpec = { type: "sgd", momentum: 0, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0 };
const init = { type: "normal" as const, std: 1, limit: 1, gain: null, distribution: "normal" as const };
const initial = initParams(spec, { weights: init, biases: init }, 0);

describe("autogradBackend", () => {
  it("builds a model on the default wasm engine holding copies of the initial parameters", async () => {
    expect(autogradBackend.name).toBe("autograd");
    const copy = initial.map((p) => ({ ...p, data: Float32Array.from(p.data) }));
    const model = await autogradBackend.createModel(spec, copy, sgd);
    expect(model.engine).toBe("wasm-autograd");
    copy[0]!.data.fill(0);
    expect((await model.getParams())[0]!.data).toEqual(initial[0]!.data);
    model.dispose();
  });

  it("runs the typescript engine when asked, and for float64 whatever the engine", async () => {
    const typescript = await createAutogradBackend({ engine: "typescript" }).createModel(spec, initial, sgd);
    expect(typescript.engine).toBe("typescript-autograd");
    const spec64: ModelSpec = { ...spec, dtype: "float64" };
    const initial64 = initial.map((p) => ({ ...p, data: Float64Array.from(p.data) }));
    const float64 = await createAutogradBackend({ engine: "wasm", threads: 2 }).createModel(spec64, initial64, sgd);
    expect(float64.engine).toBe("typescript-autograd");
  });
});
