import { describe, expect, it } from "vitest";
import type { OptimizerSpec } from "@crossprop/core";
import { ReferenceOptimizer, SCENARIO_LRS, maxRelativeDifference, optimizerScenario } from "./reference-optimizer.fixture.ts";
import { Sgd } from "./sgd.ts";

const SGD: OptimizerSpec = { type: "sgd", momentum: 0, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0.1 };
// Measured over 200 seeded scenarios: float64 equals the reference (same formula, same order), but
// only rounding-level agreement is promised: 1e-13. float32 rounds the stored parameters to 24 bits
// each step, an error that scales with the O(1) values, so it is compared against max(|p|, 1):
// ≤ 1.7e-7, tolerance 1e-6. Dropping the decay term is off by ≥ 2.8e-2.
const TOLERANCE = { float64: 1e-13, float32: 1e-6 } as const;
const FLOOR = { float64: 1e-2, float32: 1 } as const;

describe("Sgd", () => {
  it("steps p ← p - lr·g on every array, exactly as written (bit identity is the point)", () => {
    const weight = new Float64Array([1, -2, 0.3]);
    const bias = new Float32Array([0.1]);
    new Sgd().step([weight, bias], [new Float64Array([0.5, 0.25, -1]), new Float32Array([2])], 0.1);
    expect(Array.from(weight)).toEqual([1 - 0.1 * 0.5, -2 - 0.1 * 0.25, 0.3 - 0.1 * -1]);
    expect(bias[0]).toBe(Math.fround(Math.fround(0.1) - 0.1 * 2));
  });

  it("adds coupled L2 decay to the gradient: p ← p − lr·(g + weightDecay·p)", () => {
    const weight = new Float64Array([2, -4]);
    new Sgd(0.5).step([weight], [new Float64Array([1, 0])], 0.25);
    // 2 − 0.25·(1 + 0.5·2) = 1.5;  −4 − 0.25·(0 + 0.5·−4) = −3.5
    expect(Array.from(weight)).toEqual([1.5, -3.5]);
  });

  for (const dtype of ["float64", "float32"] as const) {
    it(`${dtype}: four steps with weight decay and changing lr match the float64 reference`, () => {
      const { params, gradients } = optimizerScenario(1, dtype);
      const reference = new ReferenceOptimizer(SGD, params);
      const sgd = new Sgd(SGD.weightDecay);
      gradients.forEach((stepGradients, s) => {
        sgd.step(params, stepGradients, SCENARIO_LRS[s]!);
        reference.step(stepGradients, SCENARIO_LRS[s]!);
      });
      expect(maxRelativeDifference(params, reference.params, FLOOR[dtype])).toBeLessThan(TOLERANCE[dtype]);
    });
  }
});
