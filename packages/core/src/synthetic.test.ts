import { describe, expect, it } from "vitest";
import { syntheticLinear } from "./synthetic.ts";

describe("syntheticLinear", () => {
  const spec = { weights: [3, 4, 2], bias: 5, noiseStd: 0.5, trainSamples: 20_000, validSamples: 100 };
  const { train, test } = syntheticLinear(spec, 42);

  it("has the requested shape, float inputs and one target per row", () => {
    expect([train.count, train.features, train.targetWidth, test.count]).toEqual([20_000, 3, 1, 100]);
    expect(train.inputs).toBeInstanceOf(Float32Array);
    expect(train.labels).toBeNull();
  });

  it("is the linear model plus noise: residuals have mean ≈ 0 and std ≈ noise_std", () => {
    let sum = 0;
    let sumSq = 0;
    for (let r = 0; r < train.count; r++) {
      const x = train.inputs.subarray(r * 3, r * 3 + 3);
      const residual = train.targets![r]! - (3 * x[0]! + 4 * x[1]! + 2 * x[2]! + 5);
      sum += residual;
      sumSq += residual * residual;
    }
    const mean = sum / train.count;
    // n = 20,000: the mean's standard error is 0.5/√n ≈ 0.0035, the std's ≈ 0.0025; 5 s.e. bounds.
    expect(Math.abs(mean)).toBeLessThan(0.018);
    expect(Math.abs(Math.sqrt(sumSq / train.count - mean * mean) - 0.5)).toBeLessThan(0.0125);
  });

  it("is reproducible from the seed", () => {
    expect(syntheticLinear(spec, 42).train.targets!.slice(0, 5)).toEqual(train.targets!.slice(0, 5));
    expect(syntheticLinear(spec, 43).train.targets!.slice(0, 5)).not.toEqual(train.targets!.slice(0, 5));
  });
});
