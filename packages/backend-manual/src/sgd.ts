import type { FloatArray } from "@crossprop/core";
import type { Optimizer } from "./optimizer.ts";

/** Plain stochastic gradient descent: p ← p - lr · dL/dp, no state. */
export class Sgd implements Optimizer {
  step(params: readonly FloatArray[], gradients: readonly FloatArray[], lr: number): void {
    for (let t = 0; t < params.length; t++) {
      const param = params[t]!;
      const gradient = gradients[t]!;
      for (let j = 0; j < param.length; j++) param[j] -= lr * gradient[j]!;
    }
  }
}
