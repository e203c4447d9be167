import { UserError, type FloatArray, type OptimizerSpec } from "@crossprop/core";
import { Sgd } from "./sgd.ts";

/** Updates parameters in place from their gradients (same order, same lengths). */
export interface Optimizer {
  step(params: readonly FloatArray[], gradients: readonly FloatArray[], lr: number): void;
}

/** The optimizer named by `spec`; UserError for one not built yet. */
export function createOptimizer(spec: OptimizerSpec): Optimizer {
  switch (spec.type) {
    case "sgd":
      return new Sgd();
    default:
      throw new UserError(`backend manual does not support optimizer '${String(spec.type)}' yet`);
  }
}
