import { describe, expect, it } from "vitest";
import { UserError } from "./errors.ts";
import { checkParamList, mlpLayers, paramShapes, type ModelSpec } from "./model-spec.ts";

const spec: ModelSpec = { inputs: 4, layers: mlpLayers(4, [3], 2, "relu", "identity"), loss: { type: "cross_entropy", reduction: "mean" }, dtype: "float32" };
const params = () => paramShapes(spec).map(({ name, shape }) => ({ name, shape, data: new Float32Array(shape.reduce((a, b) => a * b, 1)) }));

describe("paramShapes and checkParamList", () => {
  it("lists weight [in, out] then bias [out] per layer", () => {
    expect(paramShapes(spec)).toEqual([
      { name: "layers.0.weight", shape: [4, 3] },
      { name: "layers.0.bias", shape: [3] },
      { name: "layers.1.weight", shape: [3, 2] },
      { name: "layers.1.bias", shape: [2] },
    ]);
  });

  it("accepts exactly the spec's parameters and names what differs otherwise", () => {
    expect(() => checkParamList(spec, params())).not.toThrow();
    expect(() => checkParamList(spec, params().slice(1))).toThrow("expected 4 parameters (layers.0.weight, layers.0.bias, layers.1.weight, layers.1.bias), got 3");
    const wrongShape = params();
    wrongShape[2] = { ...wrongShape[2]!, shape: [2, 3] };
    expect(() => checkParamList(spec, wrongShape)).toThrow(UserError);
    expect(() => checkParamList(spec, wrongShape)).toThrow("parameter 2 should be layers.1.weight [3, 2], got layers.1.weight [2, 3] with 6 values");
    const short = params();
    short[1] = { ...short[1]!, data: new Float32Array(2) };
    expect(() => checkParamList(spec, short)).toThrow(/with 2 values/);
  });
});
