import { describe, expect, it } from "vitest";
import type { ParamList } from "@crossprop/core";
import { divergenceAfterStep, explosiveGrowth, finiteIn, nonFiniteParameter } from "./divergence.ts";

const FLOAT32_MAX = 3.4028234663852886e38;

/** A model whose parameters are `params`, counting how often they are read. */
function fakeModel(params: ParamList) {
  const model = { reads: 0, getParams: async () => (model.reads++, params) };
  return model;
}

const param = (name: string, values: number[]) => ({ name, shape: [values.length], data: Float32Array.from(values) });

describe("finiteIn", () => {
  it("float32: finite up to float32's largest value, not past it, even though a double holds it", () => {
    expect(finiteIn("float32", FLOAT32_MAX)).toBe(true);
    expect(finiteIn("float32", -FLOAT32_MAX)).toBe(true);
    expect(finiteIn("float32", 5.957544075259124e39)).toBe(false); // manual's loss at step 4 of linear MSE at lr 1e6
    expect(finiteIn("float32", -1e39)).toBe(false);
    expect(finiteIn("float32", Number.NaN)).toBe(false);
  });

  it("float64: any finite double", () => {
    expect(finiteIn("float64", 1e300)).toBe(true);
    expect(finiteIn("float64", Number.POSITIVE_INFINITY)).toBe(false);
    expect(finiteIn("float64", Number.NaN)).toBe(false);
  });
});

describe("nonFiniteParameter", () => {
  it("names the first non-finite element, or null", () => {
    expect(nonFiniteParameter([param("layers.0.weight", [1, 2]), param("layers.0.bias", [0])])).toBeNull();
    expect(nonFiniteParameter([param("layers.0.weight", [1, 2]), param("layers.0.bias", [0, Number.NaN, Infinity])])).toBe("parameter layers.0.bias[1] is NaN");
    expect(nonFiniteParameter([param("layers.1.weight", [-Infinity])])).toBe("parameter layers.1.weight[0] is -Infinity");
  });
});

describe("divergenceAfterStep", () => {
  it("checks the loss every step and reads the parameters only at an evaluation", async () => {
    const model = fakeModel([param("layers.0.weight", [Number.NaN])]);
    expect(await divergenceAfterStep("float32", { loss: 2.3, evaluating: false }, model)).toBeNull();
    expect(model.reads).toBe(0);
    expect(await divergenceAfterStep("float32", { loss: 2.3, evaluating: true }, model)).toBe("parameter layers.0.weight[0] is NaN");
    expect(model.reads).toBe(1);
  });

  it("a non-finite loss, or one past float32's range in a float32 run, stops without reading the parameters", async () => {
    const model = fakeModel([param("layers.0.weight", [1])]);
    expect(await divergenceAfterStep("float32", { loss: Infinity, evaluating: true }, model)).toBe("the loss is Infinity");
    expect(await divergenceAfterStep("float32", { loss: Number.NaN, evaluating: false }, model)).toBe("the loss is NaN");
    expect(await divergenceAfterStep("float32", { loss: 1e39, evaluating: false }, model)).toBe("the loss is 1e+39 (beyond float32's range)");
    expect(await divergenceAfterStep("float64", { loss: 1e39, evaluating: false }, model)).toBeNull();
    expect(model.reads).toBe(0);
  });

  it("finite loss and parameters: null", async () => {
    expect(await divergenceAfterStep("float64", { loss: 0, evaluating: true }, fakeModel([param("w", [1e30, -3])]))).toBeNull();
  });
});

describe("explosiveGrowth", () => {
  it("warns when a step's loss passed a million times the first, naming the step and the factor", () => {
    expect(explosiveGrowth({ stepLosses: [2.455660516343235, 71120356846, 2.257407565759073e22, 358539.78] })).toBe(
      "explosive growth: the training loss reached 2.257e+22 at step 3, 9.2e+21× its first value (2.456); the run completed but its results are likely meaningless — lower optimizer.lr",
    );
  });

  it("stays quiet for a loss that falls, spikes less than a million times, or starts at 0", () => {
    expect(explosiveGrowth({ stepLosses: [2.3, 1.1, 0.4] })).toBeNull();
    expect(explosiveGrowth({ stepLosses: [2, 2e6, 1] })).toBeNull(); // exactly 1e6×: not past it
    expect(explosiveGrowth({ stepLosses: [2, 2.000001e6] })).not.toBeNull();
    expect(explosiveGrowth({ stepLosses: [0, 5] })).toBeNull();
    expect(explosiveGrowth({ stepLosses: [] })).toBeNull();
  });
});
