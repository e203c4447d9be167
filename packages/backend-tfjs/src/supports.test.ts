import { describe, expect, it } from "vitest";
import { checkSpec, SpecError, type OptimizerSpec } from "@crossprop/core";
import { createTfjsBackend } from "./index.ts";
import { SGD, smallBatch, smallParams, smallSpec } from "./small-models.fixture.ts";
import { supports } from "./supports.ts";

const backend = createTfjsBackend({ engine: "cpu" });

describe("supports", () => {
  it("is what every tfjs backend declares", () => {
    expect(backend.supports).toBe(supports);
    expect(createTfjsBackend().supports).toBe(supports);
  });

  it("makes core's checkSpec refuse float64 at the dtype path: TensorFlow.js has no float64 on these engines", () => {
    const spec = { ...smallSpec([3], "tanh", "identity", { type: "cross_entropy", reduction: "mean" }), dtype: "float64" as const };
    let error: unknown;
    try {
      checkSpec(spec, SGD, [backend]);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(SpecError);
    expect((error as SpecError).issues).toEqual([{ path: "dtype", message: "backend tfjs does not support dtype float64 (supported: float32)" }]);
  });

  it("holds only what the backend computes: every declared combination passes checkSpec and trains to a finite loss", async () => {
    for (const activation of supports.activations) {
      for (const type of supports.losses) {
        for (const optimizerType of supports.optimizers) {
          const outputs = type === "sigmoid_distance" || type === "bce" ? 1 : 3;
          const spec = smallSpec([3], activation, "identity", { type, reduction: "mean" }, 4, outputs);
          const optimizer: OptimizerSpec = { ...SGD, type: optimizerType, momentum: 0.9, weightDecay: 0.01 };
          const what = `${activation} ${type} ${optimizerType}`;
          expect(() => checkSpec(spec, optimizer, [backend]), what).not.toThrow();
          const model = await backend.createModel(spec, smallParams(spec), optimizer);
          expect(Number.isFinite(await model.trainStep(smallBatch(spec, 4), 0.1)), what).toBe(true);
          model.dispose();
        }
      }
    }
  });
});
