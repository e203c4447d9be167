import { UserError, type OptimizerSpec, type OptimizerType } from "@crossprop/core";
import { Adam } from "./adam.ts";
import { Sgd } from "./sgd.ts";
import type { Tensor } from "./tensor.ts";

/**
 * Updates parameters in place from their gradients (`param.grad`), outside the graph, as the
 * OptimizerSpec doc comment defines each rule (torch.optim). State is allocated once, at creation.
 */
export interface Optimizer {
  /** One update at learning rate `lr`; parameters without a gradient are left alone (as torch). */
  step(lr: number): void;
}

export const SUPPORTED_OPTIMIZERS: readonly OptimizerType[] = ["sgd", "momentum", "adam", "adamw"];

/** The optimizer `spec` names, for `params` (held, and updated in place by `step`). */
export function createOptimizer(spec: OptimizerSpec, params: readonly Tensor[]): Optimizer {
  checkOptimizer(spec);
  switch (spec.type) {
    case "sgd":
      return new Sgd(params, spec.weightDecay, null);
    case "momentum":
      return new Sgd(params, spec.weightDecay, spec.momentum);
    case "adam":
      return new Adam(params, spec, "coupled");
    case "adamw":
      return new Adam(params, spec, "decoupled");
  }
}

/** Refuses, as a UserError, an optimizer this backend lacks or a hyperparameter its rule cannot use. */
export function checkOptimizer(spec: OptimizerSpec): void {
  if (!SUPPORTED_OPTIMIZERS.includes(spec.type)) throw new UserError(`backend autograd does not support optimizer '${spec.type}'`);
  const inRange = (field: keyof OptimizerSpec, value: number, ok: boolean, range: string) => {
    if (!Number.isFinite(value) || !ok) throw new UserError(`optimizer ${spec.type}: ${field} must be ${range}, got ${value}`, 2, `optimizer.${field}`);
  };
  inRange("weightDecay", spec.weightDecay, spec.weightDecay >= 0, "≥ 0");
  if (spec.type === "momentum") inRange("momentum", spec.momentum, spec.momentum >= 0 && spec.momentum < 1, "in [0, 1)");
  if (spec.type === "adam" || spec.type === "adamw") {
    inRange("beta1", spec.beta1, spec.beta1 >= 0 && spec.beta1 < 1, "in [0, 1)");
    inRange("beta2", spec.beta2, spec.beta2 >= 0 && spec.beta2 < 1, "in [0, 1)");
    inRange("epsilon", spec.epsilon, spec.epsilon > 0, "> 0");
  }
}
