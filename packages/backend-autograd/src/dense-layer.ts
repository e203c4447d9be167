import type { Activation } from "@crossprop/core";
import { activate, kernelReluOf } from "./activations.ts";
import { add } from "./arithmetic.ts";
import { allocBuffer } from "./buffer-pool.ts";
import { kernelMemoryHolding } from "./kernel-memory.ts";
import { matmul } from "./matmul.ts";
import { Tensor } from "./tensor.ts";

/**
 * One MLP layer: z = x·W + b and h = activation(z), as the graph's z and h tensors.
 *
 * On kernel memory with x's nonzeros known (a batch of pixels: data, no gradient), z is one op,
 * PyTorch's addmm: the kernels' sparse product adds b in its stores and, for relu, writes relu(z)
 * there too — the bytes matmul, add and relu give apart. Its backward is that of the two ops it
 * stands for: d/dW = xᵀ·G, d/db = Σ_r G; h is still relu's own op, with relu's backward.
 * Everywhere else the layer is add(matmul(x, W), b), then the activation, op by op.
 */
export function denseLayer(x: Tensor, w: Tensor, b: Tensor, activation: Activation): { z: Tensor; h: Tensor } {
  const nonzeros = x.nonzeros;
  const fits = w.shape.length === 2 && b.shape.length === 1 && x.shape[1] === w.shape[0] && b.shape[0] === w.shape[1];
  const memory = nonzeros !== null && !x.requiresGrad && fits ? kernelMemoryHolding(w.data, b.data) : null;
  if (nonzeros === null || memory === null) {
    const z = add(matmul(x, w), b);
    return { z, h: activate(z, activation) };
  }
  const { kernels } = memory;
  const n = x.shape[0]!;
  const m = w.shape[1]!;
  const weights = w.data as Float32Array;
  const bias = b.data as Float32Array;
  const out = allocBuffer("float32", n * m, false) as Float32Array;
  const activated = activation === "relu" ? (allocBuffer("float32", n * m, false) as Float32Array) : undefined;
  kernels.sparseMatmul(out, nonzeros, weights, m, false, activated ? { bias, activated } : { bias });
  const z = Tensor.fromOp("linear", out, [n, m], [x, w, b], (grad) => {
    const gradOut = grad as Float32Array;
    if (w.requiresGrad) {
      const target = memory.gradOf(w); // dW += xᵀ·G over x's nonzeros
      kernels.sparseMatmulTransA(target.grad, nonzeros, gradOut, m, target.accumulate);
    }
    if (b.requiresGrad) {
      const target = memory.gradOf(b); // db += Σ_r G[r, :]
      kernels.columnSums(target.grad, gradOut, n, m, target.accumulate);
    }
  });
  return { z, h: activated ? kernelReluOf(memory, z, activated) : activate(z, activation) };
}
