import { describe, expect, it } from "vitest";
import { initParams, type InitSpec } from "./init.ts";
import { mlpLayers, type ModelSpec } from "./model-spec.ts";

const spec: ModelSpec = {
  inputs: 784,
  layers: mlpLayers(784, [256], 10, "relu", "identity"),
  loss: { type: "cross_entropy", reduction: "mean" },
  dtype: "float32",
};
const base: InitSpec = { type: "normal", std: 1, limit: 1, gain: null, distribution: "normal" };

function moments(data: ArrayLike<number>) {
  let sum = 0;
  let sumSq = 0;
  for (let i = 0; i < data.length; i++) {
    sum += data[i]!;
    sumSq += data[i]! * data[i]!;
  }
  const mean = sum / data.length;
  return { mean, std: Math.sqrt(sumSq / data.length - mean * mean) };
}

describe("initParams", () => {
  it("names and shapes parameters layer by layer", () => {
    const params = initParams(spec, { weights: base, biases: base }, 0);
    expect(params.map((p) => `${p.name}:${p.shape.join("x")}`)).toEqual([
      "layers.0.weight:784x256",
      "layers.0.bias:256",
      "layers.1.weight:256x10",
      "layers.1.bias:10",
    ]);
    expect(params[0]!.data).toBeInstanceOf(Float32Array);
  });

  it("is deterministic in the seed and changes with it", () => {
    const a = initParams(spec, { weights: base, biases: base }, 5);
    const b = initParams(spec, { weights: base, biases: base }, 5);
    const c = initParams(spec, { weights: base, biases: base }, 6);
    expect(Buffer.from(a[0]!.data.buffer).equals(Buffer.from(b[0]!.data.buffer))).toBe(true);
    expect(Buffer.from(a[0]!.data.buffer).equals(Buffer.from(c[0]!.data.buffer))).toBe(false);
  });

  // 200,704 draws in layers.0.weight: the sample std has relative standard error 1/sqrt(2n) ≈ 0.16%,
  // the mean an absolute one of std/sqrt(n) ≈ 0.0022·std; 2% and 0.02·std leave room for any seed.
  const cases: [string, Partial<InitSpec>, number][] = [
    ["normal std 0.5", { type: "normal", std: 0.5 }, 0.5],
    ["kaiming normal", { type: "kaiming" }, Math.sqrt(2 / 784)],
    ["kaiming uniform", { type: "kaiming", distribution: "uniform" }, Math.sqrt(2 / 784)],
    ["xavier normal, gain √2 (notebook 003)", { type: "xavier", gain: Math.SQRT2 }, Math.sqrt(4 / (784 + 256))],
    ["uniform limit 0.1", { type: "uniform", limit: 0.1 }, 0.1 / Math.sqrt(3)],
  ];
  for (const [label, override, expectedStd] of cases) {
    it(`draws ${label} with the expected mean and std`, () => {
      const [weight] = initParams(spec, { weights: { ...base, ...override }, biases: base }, 1);
      const { mean, std } = moments(weight!.data);
      expect(Math.abs(std / expectedStd - 1)).toBeLessThan(0.02);
      expect(Math.abs(mean)).toBeLessThan(0.02 * expectedStd);
    });
  }

  it("fills zeros and keeps weights and biases independent", () => {
    const params = initParams(spec, { weights: base, biases: { ...base, type: "zeros" } }, 1);
    expect(params[1]!.data.every((v) => v === 0)).toBe(true);
    expect(moments(params[0]!.data).std).toBeGreaterThan(0.9);
  });

  it("draws float64 when asked, from the same stream", () => {
    const f32 = initParams(spec, { weights: base, biases: base }, 2, "float32");
    const f64 = initParams(spec, { weights: base, biases: base }, 2, "float64");
    expect(f64[0]!.data).toBeInstanceOf(Float64Array);
    expect(Math.fround(f64[0]!.data[17]!)).toBe(f32[0]!.data[17]);
  });
});
