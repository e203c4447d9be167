import { describe, expect, it } from "vitest";
import { loadKernelBytes, loadKernels } from "./index.ts";
import { acquireRuntime } from "./runtime.ts";

describe("loadKernelBytes", () => {
  it("allocates zeroed bytes in the memory every kernels handle uses, and frees them on release", async () => {
    const storage = await loadKernelBytes();
    const kernels = await loadKernels({ threads: 1 });
    const runtime = await acquireRuntime();
    const before = runtime.allocator.liveBytes;
    const bytes = storage.allocate(1000);
    expect(bytes).toBeInstanceOf(Uint8Array);
    expect(bytes.length).toBe(1000);
    expect(bytes.every((b) => b === 0)).toBe(true);
    expect(runtime.allocator.owns(bytes)).toBe(true);
    expect(bytes.buffer).toBe(kernels.memory.buffer);
    expect(runtime.allocator.liveBytes - before).toBeGreaterThanOrEqual(1000);
    storage.release();
    expect(runtime.allocator.liveBytes).toBe(before);
    expect(() => storage.allocate(1)).toThrow(/released/);
    storage.release(); // twice is harmless
    kernels.dispose();
  });
});
