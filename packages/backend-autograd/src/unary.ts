import { allocBuffer } from "./buffer-pool.ts";
import { kernelMemoryHolding, kernelsHolding } from "./kernel-memory.ts";
import { Tensor } from "./tensor.ts";

/** eˣ. d/dx = eˣ, read back from the output. In kernel memory the kernels compute it (float64 exp, rounded once, as here). */
export function exp(x: Tensor): Tensor {
  const input = x.data;
  const out = allocBuffer(x.dtype, x.size);
  const memory = kernelMemoryHolding(input, out);
  if (memory !== null) memory.kernels.exp(out as Float32Array, input as Float32Array, x.size);
  else for (let i = 0; i < out.length; i++) out[i] = Math.exp(input[i]!);
  return Tensor.fromOp("exp", out, x.shape, [x], (grad) => {
    const gradX = x.gradBuffer();
    const kernels = kernelsHolding(gradX, grad, out);
    if (kernels !== null) return kernels.addProducts(gradX as Float32Array, grad as Float32Array, out as Float32Array, gradX.length);
    for (let i = 0; i < gradX.length; i++) gradX[i] += grad[i]! * out[i]!;
  });
}

/** ln x. d/dx = 1/x. */
export function log(x: Tensor): Tensor {
  const input = x.data;
  const out = allocBuffer(x.dtype, x.size);
  for (let i = 0; i < out.length; i++) out[i] = Math.log(input[i]!);
  return Tensor.fromOp("log", out, x.shape, [x], (grad) => {
    const gradX = x.gradBuffer();
    for (let i = 0; i < gradX.length; i++) gradX[i] += grad[i]! / input[i]!;
  });
}

/**
 * ln(1 + x), accurate for small x where 1 + x would round (in float32 once |x| < 6e-8: bce's
 * log(1 + e^-|z|) at |z| > 16.6). Not composable from log and add without that loss. d/dx = 1/(1 + x).
 */
export function log1p(x: Tensor): Tensor {
  const input = x.data;
  const out = allocBuffer(x.dtype, x.size);
  for (let i = 0; i < out.length; i++) out[i] = Math.log1p(input[i]!);
  return Tensor.fromOp("log1p", out, x.shape, [x], (grad) => {
    const gradX = x.gradBuffer();
    for (let i = 0; i < gradX.length; i++) gradX[i] += grad[i]! / (1 + input[i]!);
  });
}
