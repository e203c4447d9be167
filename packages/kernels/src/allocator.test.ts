import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ALIGNMENT } from "./allocator.ts";
import { type Kernels, loadKernels } from "./index.ts";
import { acquireRuntime } from "./runtime.ts";

let kernels: Kernels;
beforeAll(async () => {
  kernels = await loadKernels({ threads: 1 });
});
afterAll(() => kernels.dispose());

describe("allocation", () => {
  it("returns zeroed, cache-line aligned views of the shared memory", () => {
    const array = kernels.allocFloat32(37);
    expect(array.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(array.byteOffset % ALIGNMENT).toBe(0);
    expect(Array.from(array)).toEqual(new Array(37).fill(0));
    expect(kernels.allocInt32(5).byteOffset % ALIGNMENT).toBe(0);
    expect(kernels.allocUint8(3).length).toBe(3);
  });

  it("reuses a freed block, zeroed again", () => {
    const first = kernels.allocFloat32(1000);
    first.fill(3);
    kernels.free(first);
    const second = kernels.allocFloat32(1000);
    expect(second.byteOffset).toBe(first.byteOffset);
    expect(second.every((v) => v === 0)).toBe(true);
    const smaller = kernels.allocFloat32(600);
    kernels.free(smaller);
    expect(kernels.allocFloat32(590).byteOffset).toBe(smaller.byteOffset);
  });

  it("does not grow the live bytes over repeated alloc/free of the same shapes", async () => {
    const { allocator } = await acquireRuntime();
    const cycle = () => [kernels.allocFloat32(256 * 256), kernels.allocFloat32(784 * 256), kernels.allocInt32(100)].forEach((a) => kernels.free(a));
    cycle();
    const bytes = allocator.buffer.byteLength;
    for (let i = 0; i < 50; i++) cycle();
    expect(allocator.buffer.byteLength).toBe(bytes);
  });

  it("grows the memory, and views taken before the growth stay valid and usable", () => {
    const before = kernels.allocFloat32(8);
    before.set([1, 2, 3, 4, 5, 6, 7, 8]);
    const pages = kernels.memory.buffer.byteLength / 65536;
    const big = kernels.allocFloat32(16 * 2 ** 20); // 64 MiB
    expect(kernels.memory.buffer.byteLength / 65536).toBeGreaterThan(pages);
    expect(before.buffer).not.toBe(kernels.memory.buffer);
    kernels.relu(before, before, 8);
    expect(Array.from(before)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    kernels.free(big);
    kernels.free(before);
  });

  it("refuses double frees and views it did not allocate", () => {
    const array = kernels.allocFloat32(4);
    kernels.free(array);
    expect(() => kernels.free(array)).toThrow(/no allocation starts at byte/);
    expect(() => kernels.free(new Float32Array(4))).toThrow(/not a view into the kernels' memory/);
  });

  it("rejects arrays outside the kernels' memory in every kernel", () => {
    const inside = kernels.allocFloat32(64);
    const outside = new Float32Array(64);
    const shared = new Float32Array(new SharedArrayBuffer(256));
    const message = /is not a view into the kernels' memory/;
    expect(() => kernels.matmul(inside, outside, inside.subarray(0), 2, 2, 2)).toThrow(/a is not a view/);
    expect(() => kernels.matmulTransA(outside, inside, inside, 2, 2, 2)).toThrow(message);
    expect(() => kernels.matmulTransB(inside.subarray(32), inside, shared, 2, 2, 2)).toThrow(/b is not a view/);
    expect(() => kernels.relu(outside, inside, 4)).toThrow(/out is not a view/);
    expect(() => kernels.reluBackward(inside, inside, shared, 4)).toThrow(/grad is not a view/);
    expect(() => kernels.axpy(inside, 1, outside, 4)).toThrow(/x is not a view/);
    expect(() => kernels.axpby(outside, 1, inside, 1, 4)).toThrow(/y is not a view/);
    expect(() => kernels.addRowVector(inside, outside, 2, 2)).toThrow(/v is not a view/);
    expect(() => kernels.columnSums(outside, inside, 2, 2)).toThrow(message);
    const x = kernels.createSparse(2, 2);
    expect(() => kernels.sparseMatmul(outside, x, inside, 2)).toThrow(message);
    expect(() => kernels.sparseMatmulTransA(inside, x, outside, 2)).toThrow(/d is not a view/);
    expect(() => kernels.relu(new Int32Array(inside.buffer, 0, 4) as unknown as Float32Array, inside, 4)).toThrow(/must be a Float32Array/);
    x.free();
  });

  it("accepts views the caller makes of kernels.memory.buffer", () => {
    const array = kernels.allocFloat32(8);
    const view = new Float32Array(kernels.memory.buffer, array.byteOffset, 8);
    view.fill(-1);
    kernels.relu(view, view, 8);
    expect(Array.from(array)).toEqual(new Array(8).fill(0));
  });
});
