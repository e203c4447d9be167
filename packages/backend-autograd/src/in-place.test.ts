import { describe, expect, it } from "vitest";
import { addRatio, assignLinear, assignLinearSquare, assignRoot } from "./in-place.ts";
import { noGrad, Tensor } from "./tensor.ts";

const values = (xs: number[]) => Float64Array.from(xs);

describe("in-place updates", () => {
  it("compute their formulas element by element, an operand may be the target itself", () => {
    const target = Tensor.from([1, 2, 4], [3], "float64");
    assignLinear(target, 0.5, target.data, 2, values([1, -1, 0.25])); // 0.5·t + 2·y
    expect(Array.from(target.data)).toEqual([2.5, -1, 2.5]);
    assignLinearSquare(target, 2, target.data, 0.5, values([2, 4, -2])); // 2·t + 0.5·y²
    expect(Array.from(target.data)).toEqual([7, 6, 7]);
    assignRoot(target, values([4, 9, 16]), 4, 0.5); // √(x / 4) + 0.5
    expect(Array.from(target.data)).toEqual([1.5, 2, 2.5]);
    addRatio(target, -2, values([3, 4, 5]), values([2, 8, 10])); // t + (-2)·x / y
    expect(Array.from(target.data)).toEqual([-1.5, 1, 1.5]);
  });

  it("round once to a float32 target", () => {
    const target = Tensor.from([0], [1], "float32");
    assignLinear(target, 1, values([0.1]), 1, values([0.2]));
    expect(target.data[0]).toBe(Math.fround(0.1 + 0.2));
  });

  it("write a gradient-tracked tensor only under noGrad, and check lengths", () => {
    const param = Tensor.from([1, 2], [2], "float64", true);
    expect(() => assignLinear(param, 1, param.data, 1, values([1, 1]))).toThrow("noGrad");
    noGrad(() => assignLinear(param, 1, param.data, 1, values([1, 1])));
    expect(Array.from(param.data)).toEqual([2, 3]);
    expect(() => noGrad(() => addRatio(param, 1, values([1]), values([1, 1])))).toThrow("1 values for 2 elements");
  });
});
