import type { Examples } from "./examples.ts";
import { Rng } from "./rng.ts";

export interface SyntheticLinearSpec {
  weights: readonly number[];
  bias: number;
  noiseStd: number;
  trainSamples: number;
  validSamples: number;
}

/**
 * Notebook 001's regression data: x ~ N(0, I), y = x·weights + bias + noiseStd·N(0, 1), drawn
 * from the seed's "synthetic" stream (train rows first, then the independent validation rows).
 */
export function syntheticLinear(spec: SyntheticLinearSpec, seed: number): { train: Examples; test: Examples } {
  const rng = new Rng(seed, "synthetic");
  const draw = (count: number): Examples => {
    const features = spec.weights.length;
    const inputs = new Float32Array(count * features);
    const targets = new Float32Array(count);
    for (let r = 0; r < count; r++) {
      let y = spec.bias;
      for (let f = 0; f < features; f++) {
        const x = rng.normal();
        inputs[r * features + f] = x;
        y += Math.fround(x) * spec.weights[f]!;
      }
      targets[r] = y + spec.noiseStd * rng.normal();
    }
    return { count, features, inputs, inputDivisor: 1, labels: null, targets, targetWidth: 1 };
  };
  return { train: draw(spec.trainSamples), test: draw(spec.validSamples) };
}
