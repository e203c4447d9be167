import type { Activation } from "@crossprop/core";
import { Rng } from "@crossprop/core";
import { loadKernels } from "@crossprop/kernels";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { activate } from "./activations.ts";
import { add, mul } from "./arithmetic.ts";
import { BufferPool, withPool } from "./buffer-pool.ts";
import { denseLayer } from "./dense-layer.ts";
import { KernelInputs } from "./kernel-inputs.ts";
import { KernelMemory } from "./kernel-memory.ts";
import { matmul } from "./matmul.ts";
import { sum } from "./reduce.ts";
import { Tensor } from "./tensor.ts";

let memory: KernelMemory;
beforeAll(async () => {
  memory = new KernelMemory(await loadKernels({ threads: 2 }));
});
afterAll(() => memory.dispose());

const bits = (array: ArrayLike<number>) => Buffer.from(Float32Array.from(array).buffer);

/**
 * A layer on pixel-like inputs (70% exact zeros) in kernel memory, built by `layer`, then
 * Σ h ⊙ weights backward: z, h and the gradients of W, b and z, copied out of the pool.
 */
function run(layer: (x: Tensor, w: Tensor, b: Tensor) => { z: Tensor; h: Tensor }, sparse: boolean) {
  const rng = new Rng(4, "dense-layer");
  const [n, k, m] = [40, 300, 24];
  const inputs = Float32Array.from({ length: n * k }, () => (rng.uniform() < 0.7 ? 0 : rng.uniform()));
  const pool = new BufferPool(memory);
  const kernelInputs = new KernelInputs(memory, k);
  const w = memory.parameter(Float32Array.from({ length: k * m }, () => rng.normal()), [k, m]);
  const b = memory.parameter(Float32Array.from({ length: m }, () => rng.normal()), [m]);
  const weights = [0, 1].map(() => Float32Array.from({ length: n * m }, () => rng.normal()));
  const result = withPool(pool, () => {
    const x = sparse ? kernelInputs.ofDense(inputs, n) : Tensor.from(inputs, [n, k], "float32");
    // Two passes without zeroing: the second adds to W's and b's gradients.
    const passes = weights.map((weight) => {
      const { z, h } = layer(x, w, b);
      const op = z.op; // (backward releases the graph)
      sum(mul(h, Tensor.from(weight, [n, m], "float32"))).backward();
      return { op, z: bits(z.data), h: bits(h.data), dz: bits(z.grad!) };
    });
    return { ...passes[1]!, dw: bits(w.grad!), db: bits(b.grad!) };
  });
  kernelInputs.free();
  pool.clear();
  for (const p of [w, b]) memory.free(p.grad as Float32Array), memory.free(p.data as Float32Array);
  return result;
}

const composed = (activation: Activation) => (x: Tensor, w: Tensor, b: Tensor) => {
  const z = add(matmul(x, w), b);
  return { z, h: activate(z, activation) };
};

describe("denseLayer", () => {
  it.each(["relu", "tanh", "identity"] as const)("on pixel nonzeros (%s): one op for x·W + b, bit for bit the ops it stands for, forward and backward", (activation) => {
    const sparseMatmul = vi.spyOn(memory.kernels, "sparseMatmul");
    const fused = run((x, w, b) => denseLayer(x, w, b, activation), true);
    // The bias (and relu's output) in the product's stores: one product a pass, no separate add.
    const epilogues = sparseMatmul.mock.calls.map((call) => Object.keys(call[5] ?? {}).sort());
    sparseMatmul.mockRestore();
    expect(epilogues).toEqual([0, 1].map(() => (activation === "relu" ? ["activated", "bias"] : ["bias"])));
    expect(fused.op).toBe("linear");
    const apart = run(composed(activation), true);
    expect(apart.op).toBe("add");
    for (const key of ["z", "h", "dz", "dw", "db"] as const) expect(fused[key].equals(apart[key]), key).toBe(true);
  });

  it("is the ops themselves when the inputs' nonzeros are not known (dense x)", () => {
    const layer = run((x, w, b) => denseLayer(x, w, b, "relu"), false);
    expect(layer.op).toBe("add");
    const apart = run(composed("relu"), false);
    for (const key of ["z", "h", "dz", "dw", "db"] as const) expect(layer[key].equals(apart[key]), key).toBe(true);
  });
});
