import { Rng } from "@crossprop/core";
import { describe, expect, it } from "vitest";
import { mul } from "./arithmetic.ts";
import { GRADIENT_TOLERANCE, gradientError, randomTensor } from "./finite-differences.ts";
import { reshape, transpose } from "./shape.ts";
import { Tensor } from "./tensor.ts";

describe("reshape and transpose", () => {
  const x = Tensor.from([1, 2, 3, 4, 5, 6], [2, 3], "float64");

  it("reshape keeps the elements in order and infers one -1 extent", () => {
    expect(reshape(x, [3, 2]).shape).toEqual([3, 2]);
    expect(reshape(x, [-1]).shape).toEqual([6]);
    expect(Array.from(reshape(x, [1, -1, 2]).data)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(() => reshape(x, [4, -1])).toThrow("cannot reshape");
    expect(() => reshape(x, [-1, -1])).toThrow("cannot reshape");
  });

  it("transpose swaps rows and columns", () => {
    const t = transpose(x);
    expect(t.shape).toEqual([3, 2]);
    expect(Array.from(t.data)).toEqual([1, 4, 2, 5, 3, 6]);
    expect(() => transpose(Tensor.zeros([2, 2, 2], "float64"))).toThrow("needs a matrix");
  });

  it("reshape: gradient matches central differences", () => {
    const rng = new Rng(4, "reshape");
    const weights = randomTensor(rng, [4, 3]);
    // Multiplying by a [4, 3] tensor after reshaping [3, 4] makes the layout matter.
    expect(gradientError((t) => mul(reshape(t, [4, 3]), weights), [randomTensor(rng, [3, 4])])).toBeLessThan(GRADIENT_TOLERANCE);
  });

  it("transpose: gradient matches central differences", () => {
    expect(gradientError(transpose, [randomTensor(new Rng(6, "transpose"), [3, 5])])).toBeLessThan(GRADIENT_TOLERANCE);
  });
});
