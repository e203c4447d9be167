import { describe, expect, it } from "vitest";
import { mul } from "./arithmetic.ts";
import { sum } from "./reduce.ts";
import { sgdStep } from "./sgd.ts";
import { isGradEnabled, Tensor } from "./tensor.ts";

describe("sgdStep", () => {
  it("moves each parameter by -lr · grad, outside the graph", () => {
    const p = Tensor.from([1, -2], [2], "float64", true);
    const q = Tensor.from([3], [1], "float64", true);
    sum(mul(p, 3)).backward(); // dL/dp = 3; q got no gradient and stays put
    sgdStep([p, q], 0.5);
    expect(Array.from(p.data)).toEqual([-0.5, -3.5]);
    expect(Array.from(q.data)).toEqual([3]);
    expect(isGradEnabled()).toBe(true);
    expect(p.parents).toEqual([]);
  });
});
