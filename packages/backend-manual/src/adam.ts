import { allocFloat, type DType, type FloatArray } from "@crossprop/core";
import type { Optimizer } from "./optimizer.ts";

export interface AdamSettings {
  beta1: number;
  beta2: number;
  epsilon: number;
  weightDecay: number;
  /** false: torch.optim.Adam's L2 term added to g; true: torch.optim.AdamW's decay of p. */
  decoupled: boolean;
}

/**
 * Adam, as torch.optim.Adam (or AdamW when `decoupled`), with t = 1, 2, … counting calls to step:
 * Adam: g ← g + λ·p;  AdamW: p ← p − lr·λ·p (from the gradient's p, before the update below);
 * m ← β1·m + (1−β1)·g;  v ← β2·v + (1−β2)·g²;  p ← p − lr·(m/(1−β1ᵗ)) / (√(v/(1−β2ᵗ)) + ε).
 * The moments are buffers allocated here, in the parameters' dtype like torch's (m₀ = v₀ = 0).
 */
export class Adam implements Optimizer {
  private readonly firstMoments: FloatArray[];
  private readonly secondMoments: FloatArray[];
  /** Steps taken so far: the t of the bias corrections. */
  private steps = 0;

  constructor(
    lengths: readonly number[],
    dtype: DType,
    private readonly settings: AdamSettings,
  ) {
    this.firstMoments = lengths.map((length) => allocFloat(dtype, length));
    this.secondMoments = lengths.map((length) => allocFloat(dtype, length));
  }

  /** m per parameter, v per parameter, then the step count t (float64). */
  state(): FloatArray[] {
    return [...this.firstMoments, ...this.secondMoments, Float64Array.of(this.steps)];
  }

  restore(state: readonly FloatArray[]): void {
    const count = this.firstMoments.length;
    this.firstMoments.forEach((m, k) => m.set(state[k]!));
    this.secondMoments.forEach((v, k) => v.set(state[count + k]!));
    this.steps = state[2 * count]![0]!;
  }

  step(params: readonly FloatArray[], gradients: readonly FloatArray[], lr: number): void {
    const { beta1, beta2, epsilon, weightDecay, decoupled } = this.settings;
    const t = ++this.steps;
    // torch's arrangement: lr·m̂/(√v̂ + ε) = (lr/(1−β1ᵗ))·m / (√v/√(1−β2ᵗ) + ε)
    const stepSize = lr / (1 - beta1 ** t);
    const rootCorrection2 = Math.sqrt(1 - beta2 ** t);
    // One decay or the other: for finite p, g + 0·p is exactly g and p·1 exactly p.
    // AdamW's p − lr·λ·p is taken as p·(1 − lr·λ), like torch's param.mul_(1 - lr * weight_decay).
    const l2 = decoupled ? 0 : weightDecay;
    const shrink = decoupled ? 1 - lr * weightDecay : 1;
    const keep1 = 1 - beta1;
    const keep2 = 1 - beta2;
    for (let k = 0; k < params.length; k++) {
      const param = params[k]!;
      const gradient = gradients[k]!;
      const first = this.firstMoments[k]!;
      const second = this.secondMoments[k]!;
      for (let j = 0; j < param.length; j++) {
        const p = param[j]!;
        const g = gradient[j]! + l2 * p;
        const m = beta1 * first[j]! + keep1 * g;
        const v = beta2 * second[j]! + keep2 * g * g;
        first[j] = m;
        second[j] = v;
        param[j] = p * shrink - (stepSize * m) / (Math.sqrt(v) / rootCorrection2 + epsilon);
      }
    }
  }
}
