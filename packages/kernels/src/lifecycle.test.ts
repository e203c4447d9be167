import { describe, expect, it } from "vitest";
import { loadKernels } from "./index.ts";
import { acquireRuntime } from "./runtime.ts";

describe("the process-wide kernels", () => {
  it("stop their workers when the last handle is disposed, and start over with a fresh memory", async () => {
    const first = await loadKernels({ threads: 2 });
    const runtime = await acquireRuntime();
    expect(runtime.pool.size).toBe(1);
    const old = first.allocFloat32(16);
    first.dispose();
    first.dispose(); // idempotent
    expect(runtime.pool.size).toBe(0);

    const second = await loadKernels({ threads: 2 });
    expect(second.memory).not.toBe(first.memory);
    expect((await acquireRuntime()).pool.size).toBe(1);
    expect(() => second.relu(old, old, 16)).toThrow(/out is not a view into the kernels' memory/);
    const fresh = second.allocFloat32(1 << 16).fill(-1);
    second.relu(fresh, fresh, fresh.length);
    expect(fresh.every((v) => v === 0)).toBe(true);
    expect(() => first.relu(fresh, fresh, 16)).toThrow(/disposed/);
    second.dispose();
  });

  it("hand out handles concurrently, each with its own thread count", async () => {
    const handles = await Promise.all([1, 3, 2, 3].map((threads) => loadKernels({ threads })));
    expect(handles.map((h) => h.threads)).toEqual([1, 3, 2, 3]);
    expect(new Set(handles.map((h) => h.memory)).size).toBe(1);
    expect((await acquireRuntime()).pool.size).toBe(2);
    for (const handle of handles) handle.dispose();
  });
});
