import { Rng, type OptimizerSpec } from "@crossprop/core";

/**
 * Test support, imported only by tests: OptimizerSpec's doc-comment update rules written out
 * literally in float64 on plain number arrays, one element at a time, sharing no code with the
 * optimizers under test. Those rearrange the arithmetic (torch's bias-correction order, AdamW's
 * p·(1 − lr·λ)), so the two agree to rounding, not bit for bit.
 */
export class ReferenceOptimizer {
  readonly params: number[][];
  private readonly m: number[][];
  private readonly v: number[][];
  private t = 0;

  constructor(
    private readonly spec: OptimizerSpec,
    initial: readonly ArrayLike<number>[],
  ) {
    this.params = initial.map((p) => Array.from(p));
    this.m = initial.map((p) => new Array<number>(p.length).fill(0));
    this.v = initial.map((p) => new Array<number>(p.length).fill(0));
  }

  step(gradients: readonly ArrayLike<number>[], lr: number): void {
    const { type, momentum, beta1, beta2, epsilon, weightDecay } = this.spec;
    this.t += 1;
    const t = this.t;
    this.params.forEach((param, k) => {
      for (let j = 0; j < param.length; j++) {
        let p = param[j]!;
        let g = gradients[k]![j]!;
        if (type === "adamw") {
          p = p - lr * weightDecay * p;
        } else {
          g = g + weightDecay * p;
        }
        if (type === "sgd") {
          p = p - lr * g;
        } else if (type === "momentum") {
          this.v[k]![j] = momentum * this.v[k]![j]! + g;
          p = p - lr * this.v[k]![j]!;
        } else {
          this.m[k]![j] = beta1 * this.m[k]![j]! + (1 - beta1) * g;
          this.v[k]![j] = beta2 * this.v[k]![j]! + (1 - beta2) * g * g;
          const mHat = this.m[k]![j]! / (1 - Math.pow(beta1, t));
          const vHat = this.v[k]![j]! / (1 - Math.pow(beta2, t));
          p = p - (lr * mHat) / (Math.sqrt(vHat) + epsilon);
        }
        param[j] = p;
      }
    });
  }
}

/** The largest |actual − expected| / max(|expected|, floor) over every element of every tensor. */
export function maxRelativeDifference(actual: readonly ArrayLike<number>[], expected: readonly ArrayLike<number>[], floor: number): number {
  let worst = 0;
  expected.forEach((tensor, k) => {
    if (actual[k]!.length !== tensor.length) throw new RangeError(`tensor ${k}: ${actual[k]!.length} values, expected ${tensor.length}`);
    for (let j = 0; j < tensor.length; j++) {
      const difference = Math.abs(actual[k]![j]! - tensor[j]!) / Math.max(Math.abs(tensor[j]!), floor);
      // `!(d <= worst)` so a NaN counts as the worst difference instead of being skipped.
      if (!(difference <= worst)) worst = Number.isNaN(difference) ? Number.POSITIVE_INFINITY : difference;
    }
  });
  return worst;
}

/** Per-step learning rates of the scenarios below: different each step, as a schedule would give. */
export const SCENARIO_LRS = [0.1, 0.05, 0.2, 0.02] as const;

/**
 * Two tensors of different lengths (so state must be kept per tensor) in `dtype`, and one seeded
 * gradient set per step of SCENARIO_LRS. Gradients are O(1), with a few exact zeros.
 */
export function optimizerScenario(seed: number, dtype: "float32" | "float64") {
  const rng = new Rng(seed, "optimizer");
  const make = (length: number, draw: () => number) => {
    const data = dtype === "float64" ? new Float64Array(length) : new Float32Array(length);
    for (let j = 0; j < length; j++) data[j] = draw();
    return data;
  };
  const lengths = [6, 3];
  const params = lengths.map((length) => make(length, () => rng.normal()));
  const gradients = SCENARIO_LRS.map(() => lengths.map((length) => make(length, () => (rng.uniform() < 0.1 ? 0 : rng.normal()))));
  return { lengths, params, gradients };
}
