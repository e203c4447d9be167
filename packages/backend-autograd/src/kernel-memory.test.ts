import { loadKernels } from "@crossprop/kernels";
import { describe, expect, it } from "vitest";
import { BufferPool, withPool } from "./buffer-pool.ts";
import { KernelMemory, kernelMemoryHolding } from "./kernel-memory.ts";
import { Tensor } from "./tensor.ts";

async function kernelMemory(): Promise<KernelMemory> {
  return new KernelMemory(await loadKernels({ threads: 1 }));
}

describe("KernelMemory", () => {
  it("holds the float32 arrays it allocated, not copies, subarrays or ordinary arrays", async () => {
    const memory = await kernelMemory();
    const array = memory.alloc(8);
    expect(array).toBeInstanceOf(Float32Array);
    expect(memory.holds(array)).toBe(true);
    expect(memory.holds(array.subarray(1))).toBe(false);
    expect(memory.holds(Float32Array.from(array))).toBe(false);
    expect(memory.bytes).toBe(32);
    memory.free(array);
    expect(memory.holds(array)).toBe(false);
    expect(memory.bytes).toBe(0);
    memory.dispose();
  });

  it("makes parameters whose values and gradients are both in kernel memory", async () => {
    const memory = await kernelMemory();
    const param = memory.parameter([1, 2, 3, 4, 5, 6], [2, 3]);
    expect(Array.from(param.data)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(param.requiresGrad).toBe(true);
    expect(memory.holds(param.data)).toBe(true);
    expect(memory.holds(param.grad)).toBe(true);
    memory.dispose();
  });

  it("dispose frees every array still held and releases the kernels", async () => {
    const memory = await kernelMemory();
    memory.parameter([1, 2], [2]);
    memory.alloc(100);
    memory.dispose();
    expect(memory.bytes).toBe(0);
    expect(() => memory.kernels.allocFloat32(1)).toThrow("disposed");
  });
});

describe("BufferPool on kernel memory", () => {
  it("lends float32 buffers from kernel memory and float64 scratch from ordinary memory, and frees them on clear", async () => {
    const memory = await kernelMemory();
    const pool = new BufferPool(memory);
    withPool(pool, () => {
      expect(memory.holds(pool.acquire("float32", 10))).toBe(true);
      expect(pool.acquire("float64", 10)).toBeInstanceOf(Float64Array);
    });
    expect(memory.bytes).toBe(40);
    pool.clear();
    expect(memory.bytes).toBe(0);
    memory.dispose();
  });

  it("hands a reused buffer back zeroed, or as it was when the op overwrites every element", async () => {
    const memory = await kernelMemory();
    const pool = new BufferPool(memory);
    withPool(pool, () => pool.acquire("float32", 3).fill(7));
    withPool(pool, () => expect(Array.from(pool.acquire("float32", 3))).toEqual([0, 0, 0]));
    withPool(pool, () => pool.acquire("float32", 3).fill(7));
    withPool(pool, () => expect(Array.from(pool.acquire("float32", 3, false))).toEqual([7, 7, 7]));
    pool.clear();
    memory.dispose();
  });
});

describe("kernelMemoryHolding", () => {
  it("is the active pool's memory only when it holds every operand", async () => {
    const memory = await kernelMemory();
    const pool = new BufferPool(memory);
    const inMemory = memory.parameter([1, 2], [2]).data;
    const ordinary = new Float32Array(2);
    expect(kernelMemoryHolding(inMemory)).toBeNull(); // no active pool
    withPool(pool, () => {
      expect(kernelMemoryHolding(inMemory)).toBe(memory);
      expect(kernelMemoryHolding(inMemory, Tensor.zeros([2], "float32").data)).toBe(memory);
      expect(kernelMemoryHolding(inMemory, ordinary)).toBeNull();
      expect(kernelMemoryHolding(Tensor.zeros([2], "float64").data)).toBeNull();
    });
    withPool(new BufferPool(), () => expect(kernelMemoryHolding(inMemory)).toBeNull());
    pool.clear();
    memory.dispose();
  });
});
