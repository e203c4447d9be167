import { describe, expect, it } from "vitest";
import { mlpLayers } from "@crossprop/core";
import { WorkspaceCache } from "./workspace.ts";

const layers = mlpLayers(6, [4], 3, "relu", "identity");

describe("WorkspaceCache", () => {
  it("hands out the same buffers for the same row count, sized for it", () => {
    const cache = new WorkspaceCache(layers, "float32");
    const full = cache.get(8);
    expect(cache.get(8)).toBe(full);
    expect(full.preactivations.map((a) => a.length)).toEqual([32, 24]);
    expect(full.preactivations[0]).toBeInstanceOf(Float32Array);
    expect(full.inputRows.map((index) => index.columnCount)).toEqual([6, 4]);
    const partial = cache.get(3);
    expect(partial).not.toBe(full);
    expect(cache.get(8)).toBe(full);
    expect(cache.size).toBe(2);
  });

  it("evicts the least recently used row count beyond its capacity", () => {
    const cache = new WorkspaceCache(layers, "float64", 2);
    const a = cache.get(1);
    const b = cache.get(2);
    cache.get(1);
    cache.get(3); // evicts 2, used less recently than 1
    expect(cache.size).toBe(2);
    expect(cache.get(1)).toBe(a);
    expect(cache.get(2)).not.toBe(b);
  });
});
