import { Rng } from "@crossprop/core";
import { describe, expect, it } from "vitest";
import { activate, relu, sigmoid, tanh } from "./activations.ts";
import { GRADIENT_TOLERANCE, gradientError, randomTensor } from "./finite-differences.fixture.ts";
import { sum } from "./reduce.ts";
import { Tensor } from "./tensor.ts";

describe("activations", () => {
  it("compute their values", () => {
    const x = Tensor.from([-2, 0, 3], [3], "float64");
    expect(Array.from(relu(x).data)).toEqual([0, 0, 3]);
    expect(Array.from(tanh(x).data)).toEqual([Math.tanh(-2), 0, Math.tanh(3)]);
    expect(Array.from(sigmoid(x).data)).toEqual([1 / (1 + Math.exp(2)), 0.5, 1 / (1 + Math.exp(-3))]);
    expect(activate(x, "identity")).toBe(x);
  });

  // relu's inputs stay ≥ 0.1 away from its kink at 0, far beyond the step h = 1e-6.
  const cases: [string, (x: Tensor) => Tensor, number][] = [
    ["relu", relu, 0.1],
    ["tanh", tanh, 0],
    ["sigmoid", sigmoid, 0],
  ];
  for (const [name, op, margin] of cases) {
    it(`${name}: gradient matches central differences`, () => {
      expect(gradientError(op, [randomTensor(new Rng(5, name), [4, 6], margin)])).toBeLessThan(GRADIENT_TOLERANCE);
    });
    it(`${name} via activate(): same op`, () => {
      expect(activate(Tensor.from([1], [1], "float64", true), name as "relu").op).toBe(name);
    });
  }

  it("relu passes no gradient at exactly 0 (PyTorch's subgradient)", () => {
    const x = Tensor.from([-1, 0, 2], [3], "float64", true);
    sum(relu(x)).backward();
    expect(Array.from(x.grad!)).toEqual([0, 0, 1]);
  });
});
