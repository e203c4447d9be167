import { describe, expect, it } from "vitest";
import type { OptimizerSpec } from "@crossprop/core";
import { Momentum } from "./momentum.ts";
import { ReferenceOptimizer, SCENARIO_LRS, maxRelativeDifference, optimizerScenario } from "./reference-optimizer.fixture.ts";

const MOMENTUM: OptimizerSpec = { type: "momentum", momentum: 0.9, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0.1 };
// Measured over 200 seeded scenarios: float64 equals the reference (same formula, same order), but
// only rounding-level agreement is promised: 1e-13. float32 rounds the stored parameters and
// velocities to 24 bits each step, an error that scales with the O(1) values, so it is compared
// against max(|p|, 1): ≤ 1.6e-7, tolerance 1e-6. Dropping the decay term is off by ≥ 5.3e-2.
const TOLERANCE = { float64: 1e-13, float32: 1e-6 } as const;
const FLOOR = { float64: 1e-2, float32: 1 } as const;

describe("Momentum", () => {
  it("starts from v₀ = 0 and accumulates v ← μ·v + g", () => {
    const weight = new Float64Array([1]);
    const momentum = new Momentum([1], "float64", 0.5, 0);
    momentum.step([weight], [new Float64Array([2])], 0.25); // v = 2, p = 1 − 0.5
    expect(weight[0]).toBe(0.5);
    momentum.step([weight], [new Float64Array([2])], 0.25); // v = 0.5·2 + 2 = 3, p = 0.5 − 0.75
    expect(weight[0]).toBe(-0.25);
  });

  for (const dtype of ["float64", "float32"] as const) {
    it(`${dtype}: four steps with weight decay and changing lr match the float64 reference`, () => {
      const { lengths, params, gradients } = optimizerScenario(2, dtype);
      const reference = new ReferenceOptimizer(MOMENTUM, params);
      const momentum = new Momentum(lengths, dtype, MOMENTUM.momentum, MOMENTUM.weightDecay);
      gradients.forEach((stepGradients, s) => {
        momentum.step(params, stepGradients, SCENARIO_LRS[s]!);
        reference.step(stepGradients, SCENARIO_LRS[s]!);
      });
      expect(maxRelativeDifference(params, reference.params, FLOOR[dtype])).toBeLessThan(TOLERANCE[dtype]);
    });
  }
});
