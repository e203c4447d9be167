import { Rng, UserError } from "@crossprop/core";
import { describe, expect, it } from "vitest";
import { GRADIENT_TOLERANCE, gradientError, randomTensor } from "./finite-differences.fixture.ts";
import { pick } from "./pick.ts";
import { sum } from "./reduce.ts";
import { Tensor } from "./tensor.ts";

describe("pick", () => {
  it("takes x[i, labels[i]] and sends the gradient back there", () => {
    const x = Tensor.from([1, 2, 3, 4, 5, 6], [2, 3], "float64", true);
    const picked = pick(x, Int32Array.from([2, 0]));
    expect(Array.from(picked.data)).toEqual([3, 4]);
    sum(picked).backward();
    expect(Array.from(x.grad!)).toEqual([0, 0, 1, 1, 0, 0]);
  });

  it("reads each row at its own label (same class in two rows)", () => {
    const x = Tensor.from([1, 2, 3, 4], [2, 2], "float64", true);
    sum(pick(x, Int32Array.from([1, 1]))).backward();
    expect(Array.from(x.grad!)).toEqual([0, 1, 0, 1]);
  });

  it("gradient matches central differences", () => {
    const rng = new Rng(8, "pick");
    const labels = Int32Array.from({ length: 6 }, () => rng.int(4));
    expect(gradientError((t) => pick(t, labels), [randomTensor(rng, [6, 4])])).toBeLessThan(GRADIENT_TOLERANCE);
  });

  it("rejects a label outside the classes as a UserError", () => {
    const x = Tensor.zeros([2, 3], "float64");
    expect(() => pick(x, Int32Array.from([0, 3]))).toThrow(UserError);
    expect(() => pick(x, Int32Array.from([-1, 0]))).toThrow("label -1 (row 0)");
  });
});
