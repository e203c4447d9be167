import { describe, expect, it } from "vitest";
import { intermediateShapes } from "./intermediates.ts";
import { mlpLayers, type ModelSpec } from "./model-spec.ts";

const spec = (hidden: number[], output: "identity" | "sigmoid"): ModelSpec => ({
  inputs: 4, layers: mlpLayers(4, hidden, 3, "relu", output), loss: { type: "mse", reduction: "mean" }, dtype: "float64",
});

describe("intermediateShapes", () => {
  it("lists the forward pass in its order, then the backward pass in backprop's order", () => {
    expect(intermediateShapes(spec([5], "identity"), 2).map((t) => `${t.name}:${t.shape.join("x")}`)).toEqual([
      "layers.0.z:2x5", "layers.0.h:2x5", "layers.1.z:2x3", "layers.1.h:2x3",
      "dlogits:2x3", "layers.0.dh:2x5", "layers.0.dz:2x5",
    ]);
  });

  it("lists the output layer's dL/dh before dlogits only when its activation is not the identity", () => {
    expect(intermediateShapes(spec([], "sigmoid"), 1).filter((t) => t.pass === "backward").map((t) => t.name)).toEqual(["layers.0.dh", "dlogits"]);
    expect(intermediateShapes(spec([], "identity"), 1).filter((t) => t.pass === "backward").map((t) => t.name)).toEqual(["dlogits"]);
  });
});
