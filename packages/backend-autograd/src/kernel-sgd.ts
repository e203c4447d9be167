import type { FloatArray } from "@crossprop/core";
import type { Kernels } from "@crossprop/kernels";
import type { Optimizer } from "./optimizer.ts";
import type { Tensor } from "./tensor.ts";

/**
 * Plain torch.optim.SGD (no momentum) by the kernels, for parameters and gradients in kernel memory:
 * g ← g + weightDecay·p;  p ← p - lr·g. The decayed gradient is written over the gradient itself
 * (the next step zeroes it before backward), so no state is kept.
 */
export class KernelSgd implements Optimizer {
  constructor(
    private readonly kernels: Kernels,
    private readonly params: readonly Tensor[],
    private readonly weightDecay: number,
  ) {}

  state(): FloatArray[] {
    return [];
  }

  restore(): void {}

  step(lr: number): void {
    for (const param of this.params) {
      const gradient = param.grad as Float32Array | null;
      if (gradient === null) continue;
      const values = param.data as Float32Array;
      if (this.weightDecay !== 0) this.kernels.axpy(gradient, this.weightDecay, values, values.length);
      this.kernels.axpy(values, -lr, gradient, values.length);
    }
  }
}
