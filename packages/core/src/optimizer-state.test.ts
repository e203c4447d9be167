import { describe, expect, it } from "vitest";
import { UserError } from "./errors.ts";
import type { ModelSpec, OptimizerSpec } from "./model-spec.ts";
import { optimizerStateArrays, optimizerStateShapes } from "./optimizer-state.ts";

const spec: ModelSpec = { inputs: 3, layers: [{ inputs: 3, outputs: 2, activation: "identity" }], loss: { type: "mse", reduction: "mean" }, dtype: "float32" };
const optimizer = (type: OptimizerSpec["type"]): OptimizerSpec => ({ type, momentum: 0.9, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0 });

describe("optimizerStateShapes", () => {
  it("names every optimizer's state after the parameters, in order", () => {
    expect(optimizerStateShapes(spec, optimizer("sgd"))).toEqual([]);
    expect(optimizerStateShapes(spec, optimizer("momentum")).map((s) => `${s.name} ${s.shape} ${s.dtype}`)).toEqual(["velocity.layers.0.weight 3,2 float32", "velocity.layers.0.bias 2 float32"]);
    expect(optimizerStateShapes(spec, optimizer("adamw")).map((s) => s.name)).toEqual([
      "first_moment.layers.0.weight",
      "first_moment.layers.0.bias",
      "second_moment.layers.0.weight",
      "second_moment.layers.0.bias",
      "step",
    ]);
    expect(optimizerStateShapes(spec, optimizer("adam")).at(-1)).toEqual({ name: "step", shape: [1], dtype: "float64" });
  });
});

describe("optimizerStateArrays", () => {
  const shapes = optimizerStateShapes(spec, optimizer("momentum"));
  const state = () => [
    { name: "velocity.layers.0.weight", shape: [3, 2], data: new Float32Array(6) },
    { name: "velocity.layers.0.bias", shape: [2], data: new Float32Array(2) },
  ];

  it("maps names to arrays when the state fits", () => {
    expect([...optimizerStateArrays(shapes, state()).keys()]).toEqual(["velocity.layers.0.weight", "velocity.layers.0.bias"]);
  });

  it("refuses a state with a wrong name, shape, length, array type or count — whole", () => {
    const wrong = [
      state().reverse(),
      [state()[0]!, { ...state()[1]!, shape: [3] }],
      [state()[0]!, { ...state()[1]!, data: new Float32Array(3) }],
      [state()[0]!, { ...state()[1]!, data: new Float64Array(2) }],
      state().slice(1),
    ];
    for (const bad of wrong) {
      expect(() => optimizerStateArrays(shapes, bad)).toThrow(UserError);
      expect(() => optimizerStateArrays(shapes, bad)).toThrow(/^the optimizer state should hold velocity\.layers\.0\.weight \[3, 2\], velocity\.layers\.0\.bias \[2\]; got /);
    }
  });
});
