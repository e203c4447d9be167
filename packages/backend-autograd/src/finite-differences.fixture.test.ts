import { Rng } from "@crossprop/core";
import { describe, expect, it } from "vitest";
import { mul } from "./arithmetic.ts";
import { GRADIENT_TOLERANCE, gradientError, randomTensor } from "./finite-differences.fixture.ts";
import { Tensor } from "./tensor.ts";

describe("gradientError", () => {
  it("accepts a right gradient and rejects a wrong one", () => {
    const rng = new Rng(3, "test");
    const x = randomTensor(rng, [3, 4]);
    expect(gradientError((a) => mul(a, a), [x])).toBeLessThan(GRADIENT_TOLERANCE);
    // An op whose backward forgets the factor 2 of d(x²)/dx = 2x.
    const wrongSquare = (a: Tensor) => {
      const values = Float64Array.from(a.data, (v) => v * v);
      return Tensor.fromOp("wrong-square", values, a.shape, [a], (grad) => {
        const gradA = a.gradBuffer();
        for (let i = 0; i < gradA.length; i++) gradA[i] += grad[i]! * a.data[i]!;
      });
    };
    expect(gradientError(wrongSquare, [x])).toBeGreaterThan(0.1);
  });
});
