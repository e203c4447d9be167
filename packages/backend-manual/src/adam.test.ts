import { describe, expect, it } from "vitest";
import type { OptimizerSpec } from "@crossprop/core";
import { Adam } from "./adam.ts";
import { ReferenceOptimizer, SCENARIO_LRS, maxRelativeDifference, optimizerScenario } from "./reference-optimizer.fixture.ts";

const ADAM: OptimizerSpec = { type: "adam", momentum: 0, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0.1 };
// Measured over 200 seeded scenarios: float64 differs from the reference by ≤ 5.6e-15 relative
// (the same formulas, bias corrections arranged as torch does): 1e-13. float32 rounds the stored
// parameters and moments to 24 bits each step, an error that scales with the O(1) values, so it is
// compared against max(|p|, 1): ≤ 1.9e-7, tolerance 1e-6. Wrong rules (decay missing or
// coupled/decoupled swapped, t off by one, β2 = 0.99 for 0.999) are off by ≥ 1.8e-4.
const TOLERANCE = { float64: 1e-13, float32: 1e-6 } as const;
const FLOOR = { float64: 1e-2, float32: 1 } as const;

function adamFor(spec: OptimizerSpec, lengths: number[], dtype: "float32" | "float64"): Adam {
  const { beta1, beta2, epsilon, weightDecay } = spec;
  return new Adam(lengths, dtype, { beta1, beta2, epsilon, weightDecay, decoupled: spec.type === "adamw" });
}

describe("Adam", () => {
  it("takes a first step of lr·sign(g) (bias-corrected m̂ = g, v̂ = g²) up to ε", () => {
    const weight = new Float64Array([1, 1]);
    adamFor({ ...ADAM, weightDecay: 0 }, [2], "float64").step([weight], [new Float64Array([3, -0.5])], 0.1);
    expect(weight[0]).toBeCloseTo(0.9, 8);
    expect(weight[1]).toBeCloseTo(1.1, 8);
  });

  it("adamw decays p by lr·λ·p beside the step, where adam's decay goes through the moments", () => {
    // With g = 0, adam's whole step comes from g ← λ·p: a first step of lr·sign(p); adamw only shrinks p.
    const adamWeight = new Float64Array([2]);
    const adamwWeight = new Float64Array([2]);
    adamFor(ADAM, [1], "float64").step([adamWeight], [new Float64Array([0])], 0.1);
    adamFor({ ...ADAM, type: "adamw" }, [1], "float64").step([adamwWeight], [new Float64Array([0])], 0.1);
    expect(adamWeight[0]).toBeCloseTo(1.9, 8);
    expect(adamwWeight[0]).toBeCloseTo(2 - 0.1 * 0.1 * 2, 15);
  });

  for (const type of ["adam", "adamw"] as const) {
    for (const dtype of ["float64", "float32"] as const) {
      it(`${type}, ${dtype}: four steps with weight decay and changing lr match the float64 reference`, () => {
        const spec = { ...ADAM, type };
        const { lengths, params, gradients } = optimizerScenario(type === "adam" ? 3 : 4, dtype);
        const reference = new ReferenceOptimizer(spec, params);
        const adam = adamFor(spec, lengths, dtype);
        gradients.forEach((stepGradients, s) => {
          adam.step(params, stepGradients, SCENARIO_LRS[s]!);
          reference.step(stepGradients, SCENARIO_LRS[s]!);
        });
        expect(maxRelativeDifference(params, reference.params, FLOOR[dtype])).toBeLessThan(TOLERANCE[dtype]);
      });
    }
  }
});
