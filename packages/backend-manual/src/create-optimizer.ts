import type { DType, OptimizerSpec } from "@crossprop/core";
import { Adam } from "./adam.ts";
import { Momentum } from "./momentum.ts";
import type { Optimizer } from "./optimizer.ts";
import { Sgd } from "./sgd.ts";

/**
 * The optimizer named by `spec` (update rules: OptimizerSpec's doc comment), its state allocated
 * once, in `dtype`, for parameters of these lengths. The spec has passed core's checkSpec, so its
 * coefficients are inside the config schema's bounds.
 */
export function createOptimizer(spec: OptimizerSpec, lengths: readonly number[], dtype: DType): Optimizer {
  const { type, momentum, beta1, beta2, epsilon, weightDecay } = spec;
  switch (type) {
    case "sgd":
      return new Sgd(weightDecay);
    case "momentum":
      return new Momentum(lengths, dtype, momentum, weightDecay);
    case "adam":
    case "adamw":
      return new Adam(lengths, dtype, { beta1, beta2, epsilon, weightDecay, decoupled: type === "adamw" });
    default:
      // Unreachable for a checked spec: core refuses an optimizer outside `supports`.
      throw new Error(`unknown optimizer '${String(type)}'`);
  }
}
