import { Rng } from "@crossprop/core";
import { describe, expect, it } from "vitest";
import { distinctTensor, GRADIENT_TOLERANCE, gradientError, randomTensor } from "./finite-differences.fixture.ts";
import { max, mean, sum } from "./reduce.ts";
import { Tensor } from "./tensor.ts";

describe("sum, mean, max", () => {
  const x = Tensor.from([1, 5, 3, 4, 2, 6], [2, 3], "float64");

  it("reduce the whole tensor or one axis, keeping dims on request", () => {
    expect(sum(x).shape).toEqual([]);
    expect(sum(x).item()).toBe(21);
    expect(mean(x).item()).toBe(3.5);
    expect(sum(x, undefined, true).shape).toEqual([1, 1]);
    expect(Array.from(sum(x, 0).data)).toEqual([5, 7, 9]);
    expect(Array.from(sum(x, 1).data)).toEqual([9, 12]);
    expect(sum(x, 1, true).shape).toEqual([2, 1]);
    expect(sum(x, -1).shape).toEqual([2]);
    expect(Array.from(mean(x, 0).data)).toEqual([2.5, 3.5, 4.5]);
    expect(Array.from(mean(x, 1, true).data)).toEqual([3, 4]);
    expect(Array.from(max(x, 0).data)).toEqual([4, 5, 6]);
    expect(Array.from(max(x, 1).data)).toEqual([5, 6]);
    expect(max(x, -1, true).shape).toEqual([2, 1]);
  });

  it("sum in float64 and round once: float32 Σ of 1e4 × 0.1 is fround(1000.0000149...)", () => {
    const values = new Float32Array(10_000).fill(0.1);
    const expected = Math.fround(Math.fround(0.1) * 10_000);
    expect(sum(Tensor.from(values, [10_000], "float32")).item()).toBe(expected);
  });

  const shapes: number[][] = [[5], [3, 4], [2, 3, 4]];
  for (const shape of shapes) {
    const axes: (number | undefined)[] = [undefined, ...shape.map((_, axis) => axis)];
    for (const axis of axes) {
      for (const keepdims of [false, true]) {
        const label = `[${shape.join(",")}] axis ${axis ?? "all"}${keepdims ? " keepdims" : ""}`;
        it(`sum/mean ${label}: gradients match central differences`, () => {
          const rng = new Rng(shape.length * 10 + (axis ?? 9), "reduce");
          expect(gradientError((t) => sum(t, axis, keepdims), [randomTensor(rng, shape)])).toBeLessThan(GRADIENT_TOLERANCE);
          expect(gradientError((t) => mean(t, axis, keepdims), [randomTensor(rng, shape)])).toBeLessThan(GRADIENT_TOLERANCE);
        });
        if (axis === undefined) continue;
        it(`max ${label}: gradient (1 at the argmax) matches central differences`, () => {
          const rng = new Rng(shape.length * 10 + axis, "max");
          expect(gradientError((t) => max(t, axis, keepdims), [distinctTensor(rng, shape)])).toBeLessThan(GRADIENT_TOLERANCE);
        });
      }
    }
  }

  it("max sends the gradient to the first of tied maxima only", () => {
    const tied = Tensor.from([2, 7, 7, 1], [1, 4], "float64", true);
    sum(max(tied, 1)).backward();
    expect(Array.from(tied.grad!)).toEqual([0, 1, 0, 0]);
  });

  it("rejects an axis out of range", () => {
    expect(() => sum(x, 2)).toThrow("axis 2 out of range");
    expect(() => max(x, -3)).toThrow("out of range");
  });
});
