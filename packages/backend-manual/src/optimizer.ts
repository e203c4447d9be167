import { UserError, type DType, type FloatArray, type OptimizerSpec } from "@crossprop/core";
import { Adam } from "./adam.ts";
import { Momentum } from "./momentum.ts";
import { Sgd } from "./sgd.ts";

/** Updates parameters in place from their gradients (same order and lengths as at creation). */
export interface Optimizer {
  step(params: readonly FloatArray[], gradients: readonly FloatArray[], lr: number): void;
}

/**
 * The optimizer named by `spec` (update rules: OptimizerSpec's doc comment), its state allocated
 * once, in `dtype`, for parameters of these lengths. UserError for an unknown type or a coefficient
 * outside the config schema's bounds: a hand-built spec would otherwise train on NaNs.
 */
export function createOptimizer(spec: OptimizerSpec, lengths: readonly number[], dtype: DType): Optimizer {
  const { type, momentum, beta1, beta2, epsilon, weightDecay } = spec;
  switch (type) {
    case "sgd":
      checkCoefficient(type, "weightDecay", weightDecay, weightDecay >= 0, "≥ 0");
      return new Sgd(weightDecay);
    case "momentum":
      checkCoefficient(type, "weightDecay", weightDecay, weightDecay >= 0, "≥ 0");
      checkCoefficient(type, "momentum", momentum, momentum >= 0 && momentum < 1, "in [0, 1)");
      return new Momentum(lengths, dtype, momentum, weightDecay);
    case "adam":
    case "adamw":
      checkCoefficient(type, "weightDecay", weightDecay, weightDecay >= 0, "≥ 0");
      checkCoefficient(type, "beta1", beta1, beta1 >= 0 && beta1 < 1, "in [0, 1)");
      checkCoefficient(type, "beta2", beta2, beta2 >= 0 && beta2 < 1, "in [0, 1)");
      checkCoefficient(type, "epsilon", epsilon, epsilon > 0, "> 0");
      return new Adam(lengths, dtype, { beta1, beta2, epsilon, weightDecay, decoupled: type === "adamw" });
    default:
      throw new UserError(`backend manual does not support optimizer '${String(type)}'`);
  }
}

function checkCoefficient(type: string, name: string, value: number, inRange: boolean, range: string): void {
  if (!Number.isFinite(value) || !inRange) throw new UserError(`optimizer ${type}: ${name} must be ${range}, got ${value}`);
}
