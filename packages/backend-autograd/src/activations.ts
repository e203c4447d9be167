import type { Activation } from "@crossprop/core";
import { allocBuffer } from "./buffer-pool.ts";
import { kernelMemoryHolding, type KernelMemory } from "./kernel-memory.ts";
import { Tensor } from "./tensor.ts";

/** max(x, 0). d/dx = 1 where x > 0, else 0 (the subgradient 0 at x = 0, as PyTorch). */
export function relu(x: Tensor): Tensor {
  const memory = kernelMemoryHolding(x.data);
  if (memory !== null) return kernelRelu(memory, x);
  const input = x.data;
  const out = allocBuffer(x.dtype, x.size);
  for (let i = 0; i < out.length; i++) out[i] = input[i]! > 0 ? input[i]! : 0;
  return Tensor.fromOp("relu", out, x.shape, [x], (grad) => {
    const gradX = x.gradBuffer();
    for (let i = 0; i < gradX.length; i++) if (input[i]! > 0) gradX[i] += grad[i]!;
  });
}

/** relu by the kernels: the same selection, and the same gradient mask [x > 0]. */
function kernelRelu(memory: KernelMemory, x: Tensor): Tensor {
  const { kernels } = memory;
  const input = x.data as Float32Array;
  const out = allocBuffer("float32", x.size, false) as Float32Array;
  kernels.relu(out, input, x.size);
  return kernelReluOf(memory, x, out);
}

/** The relu op of x on kernel memory whose output `out` = relu(x) is already computed (e.g. in a product's stores). */
export function kernelReluOf(memory: KernelMemory, x: Tensor, out: Float32Array): Tensor {
  const { kernels } = memory;
  const input = x.data as Float32Array;
  return Tensor.fromOp("relu", out, x.shape, [x], (grad) => {
    const target = memory.gradOf(x); // dx += [x > 0]·G
    kernels.reluBackward(target.grad, input, grad as Float32Array, x.size, target.accumulate);
  });
}

/**
 * tanh x. d/dx = 1 - tanh²x, recomputed in float64 from the input: from a float32 output t ≈ ±1,
 * 1 - t² would cancel (at t = 0.999 one ulp of t is 6e-5 of 1 - t²).
 */
export function tanh(x: Tensor): Tensor {
  const input = x.data;
  const out = allocBuffer(x.dtype, x.size);
  for (let i = 0; i < out.length; i++) out[i] = Math.tanh(input[i]!);
  return Tensor.fromOp("tanh", out, x.shape, [x], (grad) => {
    const gradX = x.gradBuffer();
    for (let i = 0; i < gradX.length; i++) {
      const t = Math.tanh(input[i]!);
      gradX[i] += grad[i]! * (1 - t * t);
    }
  });
}

/** σ(x) = 1 / (1 + e⁻ˣ). d/dx = σ(x)·(1 - σ(x)), recomputed in float64 from the input (as tanh). */
export function sigmoid(x: Tensor): Tensor {
  const input = x.data;
  const out = allocBuffer(x.dtype, x.size);
  for (let i = 0; i < out.length; i++) out[i] = 1 / (1 + Math.exp(-input[i]!));
  return Tensor.fromOp("sigmoid", out, x.shape, [x], (grad) => {
    const gradX = x.gradBuffer();
    for (let i = 0; i < gradX.length; i++) {
      const s = 1 / (1 + Math.exp(-input[i]!));
      gradX[i] += grad[i]! * s * (1 - s);
    }
  });
}

/** A layer's activation by name; identity returns its input unchanged (no op recorded). */
export function activate(x: Tensor, activation: Activation): Tensor {
  switch (activation) {
    case "relu":
      return relu(x);
    case "tanh":
      return tanh(x);
    case "sigmoid":
      return sigmoid(x);
    case "identity":
      return x;
  }
}
