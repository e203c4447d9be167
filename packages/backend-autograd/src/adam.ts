import type { FloatArray, OptimizerSpec } from "@crossprop/core";
import { addRatio, assignLinear, assignLinearSquare, assignRoot } from "./in-place.ts";
import { DecayedGradients, stateLike } from "./optimizer-state.ts";
import type { Optimizer } from "./optimizer.ts";
import { noGrad, type Tensor } from "./tensor.ts";

/** adam: weight decay added to the gradient (L2); adamw: applied to the parameter (decoupled). */
export type WeightDecayKind = "coupled" | "decoupled";

/**
 * torch.optim.Adam / AdamW, as OptimizerSpec defines them. At step t = 1, 2, … (steps taken by this
 * optimizer), with g the gradient (adam: g + weightDecay·p; adamw: first p ← p - lr·weightDecay·p):
 *   m ← β1·m + (1 - β1)·g;  v ← β2·v + (1 - β2)·g²   (m₀ = v₀ = 0)
 *   p ← p - lr·(m / (1 - β1ᵗ)) / (√(v / (1 - β2ᵗ)) + ε)
 */
export class Adam implements Optimizer {
  private readonly gradients: DecayedGradients;
  private readonly firstMoments: Tensor[];
  private readonly secondMoments: Tensor[];
  /** √(v / (1 - β2ᵗ)) + ε, recomputed each step into a buffer kept per parameter. */
  private readonly denominators: Tensor[];
  private readonly beta1: number;
  private readonly beta2: number;
  private readonly epsilon: number;
  private readonly decoupledDecay: number;
  private steps = 0;

  constructor(
    private readonly params: readonly Tensor[],
    spec: OptimizerSpec,
    decay: WeightDecayKind,
  ) {
    this.gradients = new DecayedGradients(params, decay === "coupled" ? spec.weightDecay : 0);
    this.decoupledDecay = decay === "decoupled" ? spec.weightDecay : 0;
    this.firstMoments = params.map((param) => stateLike(param));
    this.secondMoments = params.map((param) => stateLike(param));
    this.denominators = params.map((param) => stateLike(param));
    this.beta1 = spec.beta1;
    this.beta2 = spec.beta2;
    this.epsilon = spec.epsilon;
  }

  /** m per parameter, v per parameter, then the step count t (float64). */
  state(): FloatArray[] {
    return [...this.firstMoments.map((m) => m.data), ...this.secondMoments.map((v) => v.data), Float64Array.of(this.steps)];
  }

  restore(state: readonly FloatArray[]): void {
    const count = this.params.length;
    this.firstMoments.forEach((m, i) => m.writableData().set(state[i]!));
    this.secondMoments.forEach((v, i) => v.writableData().set(state[count + i]!));
    this.steps = state[2 * count]![0]!;
  }

  step(lr: number): void {
    const t = ++this.steps;
    const correction1 = 1 - this.beta1 ** t;
    const correction2 = 1 - this.beta2 ** t;
    noGrad(() => {
      this.params.forEach((param, i) => {
        if (param.grad === null) return;
        if (this.decoupledDecay !== 0) param.addScaledInPlace(param.data, -lr * this.decoupledDecay);
        const gradient = this.gradients.of(param, i, param.grad);
        const [m, v, denominator] = [this.firstMoments[i]!, this.secondMoments[i]!, this.denominators[i]!];
        assignLinear(m, this.beta1, m.data, 1 - this.beta1, gradient);
        assignLinearSquare(v, this.beta2, v.data, 1 - this.beta2, gradient);
        assignRoot(denominator, v.data, correction2, this.epsilon);
        addRatio(param, -lr / correction1, m.data, denominator.data);
      });
    });
  }
}
