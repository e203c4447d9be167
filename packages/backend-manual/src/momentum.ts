import { allocFloat, type DType, type FloatArray } from "@crossprop/core";
import type { Optimizer } from "./optimizer.ts";

/**
 * SGD with momentum, as torch.optim.SGD(momentum=μ, dampening=0, nesterov=False):
 * g ← g + weightDecay·p;  v ← μ·v + g (v₀ = 0);  p ← p − lr·v.
 * One velocity buffer per parameter, allocated here, in the parameters' dtype like torch's.
 */
export class Momentum implements Optimizer {
  private readonly velocities: FloatArray[];

  constructor(
    lengths: readonly number[],
    dtype: DType,
    private readonly momentum: number,
    private readonly weightDecay: number,
  ) {
    this.velocities = lengths.map((length) => allocFloat(dtype, length));
  }

  state(): FloatArray[] {
    return this.velocities;
  }

  restore(state: readonly FloatArray[]): void {
    this.velocities.forEach((velocity, t) => velocity.set(state[t]!));
  }

  step(params: readonly FloatArray[], gradients: readonly FloatArray[], lr: number): void {
    const { momentum, weightDecay } = this;
    for (let t = 0; t < params.length; t++) {
      const param = params[t]!;
      const gradient = gradients[t]!;
      const velocity = this.velocities[t]!;
      for (let j = 0; j < param.length; j++) {
        const p = param[j]!;
        const v = momentum * velocity[j]! + (gradient[j]! + weightDecay * p);
        velocity[j] = v;
        param[j] = p - lr * v;
      }
    }
  }
}
