import type { OptimizerSpec } from "@crossprop/core";
import { describe, expect, it } from "vitest";
import { Adam } from "./adam.ts";
import { Tensor } from "./tensor.ts";

const SPEC: OptimizerSpec = { type: "adam", momentum: 0, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0 };

describe("Adam", () => {
  it("first step moves every parameter by lr·g/(|g| + ε): about lr against the gradient's sign, whatever its size", () => {
    // t = 1: m/(1-β1) = g and v/(1-β2) = g² (bias correction undoes the zero start).
    const p = Tensor.from([0, 0, 0], [3], "float64", true);
    p.gradBuffer().set([1e-3, -5, 200]);
    new Adam([p], SPEC, "coupled").step(0.01);
    expect(p.data[0]).toBeCloseTo((-0.01 * 1e-3) / (1e-3 + 1e-8), 15);
    expect(p.data[1]).toBeCloseTo(0.01, 10);
    expect(p.data[2]).toBeCloseTo(-0.01, 10);
  });

  it("adamw decays the parameter itself (p·lr·wd), adam decays through the gradient (normalised away)", () => {
    const run = (decay: "coupled" | "decoupled") => {
      const p = Tensor.from([10], [1], "float64", true);
      p.gradBuffer().set([0]);
      new Adam([p], { ...SPEC, weightDecay: 0.1 }, decay).step(0.01);
      return p.data[0]!;
    };
    // adam: g = 0 + 0.1·10 = 1, a step of lr·1/(1 + ε); adamw: 10·(1 - 0.001), then a zero-gradient step.
    expect(run("coupled")).toBeCloseTo(10 - 0.01, 7);
    expect(run("decoupled")).toBeCloseTo(10 - 0.01 * 0.1 * 10, 12);
  });

  it("leaves parameters without a gradient alone", () => {
    const p = Tensor.from([1], [1], "float64", true);
    new Adam([p], { ...SPEC, weightDecay: 0.1 }, "decoupled").step(0.1);
    expect(p.data[0]).toBe(1);
  });
});
