import type { FloatArray } from "@crossprop/core";
import type { Optimizer } from "./optimizer.ts";

/**
 * Stochastic gradient descent with coupled L2 weight decay, as torch.optim.SGD without momentum:
 * g ← g + weightDecay·p;  p ← p − lr·g. No state. With weightDecay 0, g + 0·p = g exactly (finite
 * p), so the step is exactly p − lr·g.
 */
export class Sgd implements Optimizer {
  constructor(private readonly weightDecay = 0) {}

  state(): FloatArray[] {
    return [];
  }

  restore(): void {}

  step(params: readonly FloatArray[], gradients: readonly FloatArray[], lr: number): void {
    const weightDecay = this.weightDecay;
    for (let t = 0; t < params.length; t++) {
      const param = params[t]!;
      const gradient = gradients[t]!;
      for (let j = 0; j < param.length; j++) {
        const p = param[j]!;
        param[j] = p - lr * (gradient[j]! + weightDecay * p);
      }
    }
  }
}
