import type { FloatArray } from "@crossprop/core";
import { DecayedGradients, stateLike } from "./optimizer-state.ts";
import type { Optimizer } from "./optimizer.ts";
import { assignLinear } from "./in-place.ts";
import { noGrad, type Tensor } from "./tensor.ts";

/**
 * torch.optim.SGD, as OptimizerSpec defines it. With g ← g + weightDecay·p:
 * - sgd (momentum null): p ← p - lr·g;
 * - momentum:            v ← momentum·v + g (v₀ = 0);  p ← p - lr·v.
 */
export class Sgd implements Optimizer {
  private readonly gradients: DecayedGradients;
  /** The velocity v per parameter; null for plain SGD. */
  private readonly velocities: Tensor[] | null;

  constructor(
    private readonly params: readonly Tensor[],
    weightDecay: number,
    private readonly momentum: number | null,
  ) {
    this.gradients = new DecayedGradients(params, weightDecay);
    this.velocities = momentum === null ? null : params.map((param) => stateLike(param));
  }

  /** The velocities; plain SGD keeps none. */
  state(): FloatArray[] {
    return this.velocities?.map((velocity) => velocity.data) ?? [];
  }

  restore(state: readonly FloatArray[]): void {
    this.velocities?.forEach((velocity, i) => velocity.writableData().set(state[i]!));
  }

  step(lr: number): void {
    noGrad(() => {
      this.params.forEach((param, i) => {
        if (param.grad === null) return;
        const gradient = this.gradients.of(param, i, param.grad);
        if (this.velocities === null) {
          param.addScaledInPlace(gradient, -lr);
          return;
        }
        const velocity = this.velocities[i]!;
        assignLinear(velocity, this.momentum!, velocity.data, 1, gradient);
        param.addScaledInPlace(velocity.data, -lr);
      });
    });
  }
}
