import { Rng } from "@crossprop/core";
import { describe, expect, it } from "vitest";
import { add, sub } from "./arithmetic.ts";
import { GRADIENT_TOLERANCE, gradientError, randomTensor } from "./finite-differences.fixture.ts";
import { logSoftmax, logSumExp } from "./log-softmax.ts";
import { max, sum } from "./reduce.ts";
import { Tensor } from "./tensor.ts";
import { exp, log } from "./unary.ts";

/** logsumexp with m left in the graph, like PyTorch's `x.max(-1)[0]`: gradient also flows via the argmax. */
function logSumExpUndetached(x: Tensor): Tensor {
  const shift = max(x, -1, true);
  return add(shift, log(sum(exp(sub(x, shift)), -1, true)));
}

describe("logSumExp", () => {
  it("equals log Σ exp(x) row by row, as a column", () => {
    const x = Tensor.from([1, 2, 3, -1, 0, 4], [2, 3], "float64");
    const out = logSumExp(x);
    expect(out.shape).toEqual([2, 1]);
    expect(out.data[0]).toBeCloseTo(Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3)), 14);
    expect(out.data[1]).toBeCloseTo(Math.log(Math.exp(-1) + 1 + Math.exp(4)), 14);
  });

  it("does not overflow for logits in the thousands (float32)", () => {
    const x = Tensor.from([1000, 999, -1000, 3000], [2, 2], "float32");
    const out = logSumExp(x);
    expect(out.data[0]).toBeCloseTo(1000 + Math.log(1 + Math.exp(-1)), 3);
    expect(out.data[1]).toBe(3000);
  });

  it("gradient (softmax) matches central differences", () => {
    expect(gradientError(logSumExp, [randomTensor(new Rng(1, "lse"), [5, 4])])).toBeLessThan(GRADIENT_TOLERANCE);
  });

  it("detaching m changes no gradient: the ±dm/dx terms of the undetached form cancel", () => {
    // dL/dx = softmax(x) either way; in float64 the undetached form's +1 and -Σsoftmax at the
    // argmax cancel to within a few ulps, so 1e-12 absolute on gradients ≤ 1.
    const rng = new Rng(2, "lse-detach");
    const values = Array.from({ length: 24 }, () => 3 * rng.normal());
    const gradientOf = (form: (x: Tensor) => Tensor) => {
      const x = Tensor.from(values, [6, 4], "float64", true);
      sum(form(x)).backward();
      return Array.from(x.grad!);
    };
    const detached = gradientOf(logSumExp);
    const undetached = gradientOf(logSumExpUndetached);
    detached.forEach((g, i) => expect(Math.abs(g - undetached[i]!)).toBeLessThan(1e-12));
    expect(gradientError(logSumExpUndetached, [randomTensor(rng, [5, 4])])).toBeLessThan(GRADIENT_TOLERANCE);
  });
});

describe("logSoftmax", () => {
  it("rows exponentiate to probabilities summing to 1", () => {
    const rng = new Rng(3, "log-softmax");
    const out = logSoftmax(Tensor.from(Array.from({ length: 12 }, () => rng.normal()), [3, 4], "float64"));
    for (let row = 0; row < 3; row++) {
      let total = 0;
      for (let c = 0; c < 4; c++) total += Math.exp(out.data[row * 4 + c]!);
      expect(total).toBeCloseTo(1, 14);
    }
  });

  it("gradient matches central differences", () => {
    expect(gradientError(logSoftmax, [randomTensor(new Rng(4, "log-softmax"), [5, 3])])).toBeLessThan(GRADIENT_TOLERANCE);
  });
});
