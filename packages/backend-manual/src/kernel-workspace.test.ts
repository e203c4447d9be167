import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { mlpLayers } from "@crossprop/core";
import { loadKernels, type Kernels } from "@crossprop/kernels";
import { KernelWorkspaces } from "./kernel-workspace.ts";

const layers = mlpLayers(6, [4], 3, "relu", "identity");
let kernels: Kernels;
beforeAll(async () => {
  kernels = await loadKernels({ threads: 1 });
});
afterAll(() => kernels.dispose());

describe("KernelWorkspaces", () => {
  it("keeps one workspace for every batch up to its rows, and grows it for a larger one", () => {
    const workspaces = new KernelWorkspaces(kernels, layers);
    const first = workspaces.get(8);
    expect(first.preactivations.map((a) => a.length)).toEqual([32, 24]);
    expect(workspaces.get(3)).toBe(first); // a partial batch reads the first rows
    const larger = workspaces.get(9);
    expect(larger).not.toBe(first);
    expect(larger.rows).toBe(9);
    expect(workspaces.get(8)).toBe(larger);
    workspaces.free();
  });

  it("allocates the dense inputs only when they are read", () => {
    const workspaces = new KernelWorkspaces(kernels, layers);
    const alloc = vi.spyOn(kernels, "allocFloat32");
    const workspace = workspaces.get(5);
    expect(alloc.mock.calls.map(([length]) => length)).toEqual([20, 15, 20, 15, 20, 15, 20, 15]);
    expect(workspace.inputs.length).toBe(30);
    expect(workspace.inputs).toBe(workspace.inputs);
    expect(alloc).toHaveBeenCalledTimes(9);
    alloc.mockRestore();
    workspaces.free();
  });
});
