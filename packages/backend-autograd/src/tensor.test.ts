import { Rng } from "@crossprop/core";
import { describe, expect, it } from "vitest";
import { activate } from "./activations.ts";
import { add, mul } from "./arithmetic.ts";
import { crossEntropy } from "./losses.ts";
import { matmul } from "./matmul.ts";
import { sum } from "./reduce.ts";
import { BufferPool, withPool } from "./buffer-pool.ts";
import { noGrad, Tensor } from "./tensor.ts";

describe("Tensor", () => {
  it("checks that data fits the shape", () => {
    expect(() => new Tensor(new Float32Array(5), [2, 3])).toThrow("shape [2, 3] needs 6");
    expect(Tensor.scalar(3, "float64").shape).toEqual([]);
    expect(Tensor.from([1, 2], [2], "float32").data).toBeInstanceOf(Float32Array);
  });

  it("backward: d/dx of (x·y + x)·y at x = 2, y = 3 is y² + y = 12, d/dy = 2xy + x = 14", () => {
    const x = Tensor.from([2], [], "float64", true);
    const y = Tensor.from([3], [], "float64", true);
    const z = mul(add(mul(x, y), x), y);
    expect(z.item()).toBe(24);
    z.backward();
    expect(x.grad![0]).toBe(12);
    expect(y.grad![0]).toBe(14);
  });

  it("accumulates the gradient of a tensor used twice: x·x + x gives 2x + 1", () => {
    const x = Tensor.from([-1, 0.5, 4], [3], "float64", true);
    sum(add(mul(x, x), x)).backward();
    expect(Array.from(x.grad!)).toEqual([-1, 2, 9]);
  });

  it("accumulates across backward calls until zeroGrad", () => {
    const x = Tensor.from([1, 2], [2], "float64", true);
    sum(mul(x, 3)).backward();
    sum(mul(x, 3)).backward();
    expect(Array.from(x.grad!)).toEqual([6, 6]);
    x.zeroGrad();
    expect(Array.from(x.grad!)).toEqual([0, 0]);
  });

  it("visits ops in a deterministic reverse topological order: each after everything it feeds", () => {
    const log: string[] = [];
    const node = (name: string, parents: Tensor[]) =>
      Tensor.fromOp(name, new Float64Array(1), [], parents, (grad) => {
        log.push(name);
        for (const parent of parents) parent.gradBuffer()[0] += grad[0]!;
      });
    const run = () => {
      log.length = 0;
      const x = Tensor.from([1], [], "float64", true);
      const a = node("a", [x]);
      const b = node("b", [x, a]);
      const c = node("c", [a, b]);
      node("d", [c, b]).backward();
      return { order: [...log], grad: x.grad![0] };
    };
    const first = run();
    expect(first.order).toEqual(["d", "c", "b", "a"]);
    // Paths d→c→a→x, d→c→b→x, d→c→b→a→x, d→b→x, d→b→a→x: five, each passing gradient 1.
    expect(first.grad).toBe(5);
    expect(run()).toEqual(first);
  });

  it("builds no graph under noGrad, nor from tensors that need no gradient", () => {
    const x = Tensor.from([1, 2], [2], "float64", true);
    const y = noGrad(() => mul(x, 2));
    expect(y.requiresGrad).toBe(false);
    expect(y.parents).toEqual([]);
    const constant = mul(Tensor.from([1], [1], "float64"), 2);
    expect(constant.requiresGrad).toBe(false);
    expect(mul(x, 2).parents).toHaveLength(2);
  });

  it("releases the graph after backward, and refuses to run it twice", () => {
    const x = Tensor.from([1, 2], [2], "float64", true);
    const hidden = mul(x, 2);
    const loss = sum(hidden);
    loss.backward();
    expect(loss.parents).toEqual([]);
    expect(hidden.parents).toEqual([]);
    expect(() => loss.backward()).toThrow("twice");
  });

  it("refuses backward from a non-scalar or from a constant", () => {
    const x = Tensor.from([1, 2], [2], "float64", true);
    expect(() => mul(x, 2).backward()).toThrow("needs a scalar");
    expect(() => Tensor.scalar(1, "float64").backward()).toThrow("does not require grad");
  });

  it("detach cuts the gradient path", () => {
    const x = Tensor.from([3], [], "float64", true);
    mul(x, x.detach()).backward();
    expect(x.grad![0]).toBe(3);
  });

  it("allows in-place updates of gradient-tracked tensors only under noGrad", () => {
    const p = Tensor.from([1, 2], [2], "float64", true);
    expect(() => p.addScaledInPlace(new Float64Array([1, 1]), 1)).toThrow("noGrad");
    noGrad(() => p.addScaledInPlace(new Float64Array([1, 1]), -0.5));
    expect(Array.from(p.data)).toEqual([0.5, 1.5]);
  });

  it("zeroGrad leaves a gradient buffer to its next writer, and reads as zeros until written", () => {
    const x = Tensor.from([1, 2], [2], "float32", true);
    sum(mul(x, 3)).backward();
    x.zeroGrad();
    const target = x.gradToWrite();
    expect(target.accumulate).toBe(false); // the next writer overwrites: adding to zeros would give the same
    target.grad.set([5, 6]);
    expect(x.gradToWrite().accumulate).toBe(true);
    expect(Array.from(x.grad!)).toEqual([5, 6]);
    x.zeroGrad();
    expect(Array.from(x.grad!)).toEqual([0, 0]);
  });

  it("a pool tensor without a gradient adopts its output's gradient buffer; one that has a gradient does not", () => {
    withPool(new BufferPool(), () => {
      const x = Tensor.zeros([2], "float32", true);
      const grad = new Float32Array([1, 2]);
      expect(x.adoptGrad(grad)).toBe(true);
      expect(x.grad).toBe(grad);
      expect(x.adoptGrad(new Float32Array(2))).toBe(false);
    });
    const parameter = Tensor.from([1, 2], [2], "float32", true); // made outside a pool: its gradient must outlive the step
    expect(parameter.adoptGrad(new Float32Array(2))).toBe(false);
  });

  it("a tensor made from a function builds its values on first read and checks their length", () => {
    let builds = 0;
    const lazy = new Tensor(() => (builds++, new Float32Array([1, 2, 3])), [3]);
    expect(builds).toBe(0);
    expect(Array.from(lazy.data)).toEqual([1, 2, 3]);
    expect(lazy.data).toBe(lazy.data);
    expect(builds).toBe(1);
    expect(() => new Tensor(() => new Float32Array(2), [3]).data).toThrow("shape [3] needs 3");
  });

  it("gives bit-identical float32 gradients when the same graph runs twice", () => {
    const gradients = () => {
      const rng = new Rng(42, "determinism");
      const draw = (shape: number[], requiresGrad: boolean) =>
        Tensor.from(Array.from({ length: shape[0]! * (shape[1] ?? 1) }, () => rng.normal()), shape, "float32", requiresGrad);
      const inputs = draw([16, 30], false);
      const params = [draw([30, 20], true), draw([20], true), draw([20, 5], true), draw([5], true)];
      const hidden = activate(add(matmul(inputs, params[0]!), params[1]!), "tanh");
      const labels = Int32Array.from({ length: 16 }, () => rng.int(5));
      crossEntropy(add(matmul(hidden, params[2]!), params[3]!), labels, "mean").backward();
      return params.map((p) => Buffer.from(p.grad!.buffer).toString("hex"));
    };
    expect(gradients()).toEqual(gradients());
  });
});
