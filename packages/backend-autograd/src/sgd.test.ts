import { describe, expect, it } from "vitest";
import { mul } from "./arithmetic.ts";
import { sum } from "./reduce.ts";
import { Sgd } from "./sgd.ts";
import { isGradEnabled, Tensor } from "./tensor.ts";

describe("Sgd", () => {
  it("moves each parameter by -lr · grad, outside the graph", () => {
    const p = Tensor.from([1, -2], [2], "float64", true);
    const q = Tensor.from([3], [1], "float64", true);
    sum(mul(p, 3)).backward(); // dL/dp = 3; q got no gradient and stays put
    new Sgd([p, q], 0, null).step(0.5);
    expect(Array.from(p.data)).toEqual([-0.5, -3.5]);
    expect(Array.from(q.data)).toEqual([3]);
    expect(isGradEnabled()).toBe(true);
    expect(p.parents).toEqual([]);
  });

  it("adds weightDecay·p to the gradient without changing the gradient buffer", () => {
    const p = Tensor.from([2, -4], [2], "float64", true);
    p.gradBuffer().set([1, 1]);
    new Sgd([p], 0.25, null).step(0.5); // p - 0.5·(1 + 0.25·p); at p = -4 the decay cancels the gradient
    expect(Array.from(p.data)).toEqual([1.25, -4]);
    expect(Array.from(p.grad!)).toEqual([1, 1]);
  });

  it("momentum: v₀ = 0, so the first step is plain SGD; then v ← μ·v + g", () => {
    const p = Tensor.from([1], [1], "float64", true);
    const sgd = new Sgd([p], 0, 0.5);
    p.gradBuffer().set([2]);
    sgd.step(0.1); // v = 2, p = 1 - 0.2
    expect(p.data[0]).toBeCloseTo(0.8, 15);
    sgd.step(0.1); // v = 0.5·2 + 2 = 3, p = 0.8 - 0.3
    expect(p.data[0]).toBeCloseTo(0.5, 15);
  });
});
