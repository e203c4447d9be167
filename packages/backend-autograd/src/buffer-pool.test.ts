import { describe, expect, it } from "vitest";
import { add, mul } from "./arithmetic.ts";
import { allocBuffer, BufferPool, currentPool, withPool } from "./buffer-pool.ts";
import { matmul } from "./matmul.ts";
import { sum } from "./reduce.ts";
import { Tensor } from "./tensor.ts";

describe("BufferPool", () => {
  it("hands out the same buffers, zero-filled, in the same order after a reset", () => {
    const pool = new BufferPool();
    const first = [pool.acquire("float32", 4), pool.acquire("float32", 4), pool.acquire("float64", 4)];
    first[0]!.fill(7);
    pool.reset();
    const second = [pool.acquire("float32", 4), pool.acquire("float32", 4), pool.acquire("float64", 4)];
    second.forEach((buffer, i) => expect(buffer).toBe(first[i]));
    expect(Array.from(second[0]!)).toEqual([0, 0, 0, 0]);
    expect(second[2]).toBeInstanceOf(Float64Array);
    expect(pool.bytes).toBe(2 * 16 + 32);
  });

  it("serves ops only inside withPool, and resets even when the body throws", () => {
    const pool = new BufferPool();
    expect(currentPool()).toBe(null);
    expect(() => withPool(pool, () => {
      expect(currentPool()).toBe(pool);
      throw new Error("step failed");
    })).toThrow("step failed");
    expect(currentPool()).toBe(null);
    expect(pool.epoch).toBe(1);
    expect(allocBuffer("float32", 3)).toHaveLength(3);
    expect(() => withPool(pool, () => withPool(pool, () => 0))).toThrow("already active");
  });

  it("kills tensors made inside a scope when it ends, so a reused buffer is never read through them", () => {
    const pool = new BufferPool();
    const x = Tensor.from([1, 2], [2], "float32", true);
    const stale = withPool(pool, () => mul(x, 2));
    expect(() => stale.data).toThrow("after its pool scope ended");
    const staleLoss = withPool(pool, () => sum(mul(x, 2)));
    expect(() => staleLoss.backward()).toThrow("after its pool scope ended");
    expect(Array.from(x.data)).toEqual([1, 2]); // made outside: not the pool's
  });

  it("allocates nothing new after the first of identical steps, and keeps parameter gradients outside", () => {
    const pool = new BufferPool();
    const weight = Tensor.from(Array.from({ length: 12 }, (_, i) => i / 10), [4, 3], "float32", true);
    const bias = Tensor.from([0.1, 0.2, 0.3], [3], "float32", true);
    const inputs = Tensor.from(Array.from({ length: 8 }, (_, i) => i), [2, 4], "float32");
    const step = () =>
      withPool(pool, () => {
        weight.zeroGrad();
        const loss = sum(add(matmul(inputs, weight), bias));
        loss.backward();
        return loss.item();
      });
    const loss = step();
    const bytes = pool.bytes;
    for (let i = 0; i < 50; i++) expect(step()).toBe(loss);
    expect(pool.bytes).toBe(bytes);
    // dL/dweight[p, :] = Σ_i inputs[i, p] = column sums of [[0..3], [4..7]]
    expect(Array.from(weight.grad!)).toEqual([4, 4, 4, 6, 6, 6, 8, 8, 8, 10, 10, 10]);
  });
});
