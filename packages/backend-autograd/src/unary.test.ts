import { Rng } from "@crossprop/core";
import { describe, expect, it } from "vitest";
import { GRADIENT_TOLERANCE, gradientError, randomTensor } from "./finite-differences.fixture.ts";
import { Tensor } from "./tensor.ts";
import { exp, log, log1p } from "./unary.ts";

/** Positive values in [0.5, 2.5): log stays smooth over the step h. */
function positiveTensor(rng: Rng, shape: number[]): Tensor {
  const size = shape.reduce((product, extent) => product * extent, 1);
  return Tensor.from(Array.from({ length: size }, () => 0.5 + 2 * rng.uniform()), shape, "float64", true);
}

describe("exp, log, log1p", () => {
  it("compute their values", () => {
    const x = Tensor.from([0.5, 1, 2], [3], "float64");
    expect(Array.from(exp(x).data)).toEqual([Math.exp(0.5), Math.E, Math.exp(2)]);
    expect(Array.from(log(x).data)).toEqual([Math.log(0.5), 0, Math.LN2]);
  });

  it("round to float32 when the input is float32", () => {
    const y = exp(Tensor.from([1], [1], "float32"));
    expect(y.dtype).toBe("float32");
    expect(y.data[0]).toBe(Math.fround(Math.E));
  });

  it("exp: gradient matches central differences", () => {
    expect(gradientError(exp, [randomTensor(new Rng(1, "exp"), [3, 5])])).toBeLessThan(GRADIENT_TOLERANCE);
  });

  it("log: gradient matches central differences", () => {
    expect(gradientError(log, [positiveTensor(new Rng(2, "log"), [3, 5])])).toBeLessThan(GRADIENT_TOLERANCE);
  });

  it("log1p: keeps tiny arguments that 1 + x would round away, in float32 too", () => {
    expect(log1p(Tensor.from([1e-20, 0, Math.E - 1], [3], "float64")).data).toEqual(Float64Array.from([1e-20, 0, 1]));
    expect(log1p(Tensor.from([1e-9], [1], "float32")).data[0]).toBe(Math.fround(1e-9));
  });

  it("log1p: gradient 1/(1 + x) matches central differences", () => {
    // x ≥ -0.5: 1 + x stays ≥ 0.5 away from log1p's pole at -1.
    const rng = new Rng(4, "log1p");
    const x = Tensor.from(Array.from({ length: 15 }, () => -0.5 + 3 * rng.uniform()), [3, 5], "float64", true);
    expect(gradientError(log1p, [x])).toBeLessThan(GRADIENT_TOLERANCE);
  });
});
