import type { OptimizerSpec } from "@crossprop/core";
import type { Kernels } from "@crossprop/kernels";
import { Adam } from "./adam.ts";
import { KernelSgd } from "./kernel-sgd.ts";
import type { Optimizer } from "./optimizer.ts";
import { Sgd } from "./sgd.ts";
import type { Tensor } from "./tensor.ts";

/**
 * The optimizer `spec` names, for `params` (held, and updated in place by `step`). The spec has
 * passed core's checkSpec, so its coefficients are inside the config schema's bounds. With `kernels`
 * (parameters and gradients in kernel memory) plain SGD runs on them; the stateful rules keep their
 * tensor loops, which read kernel memory like any Float32Array.
 */
export function createOptimizer(spec: OptimizerSpec, params: readonly Tensor[], kernels: Kernels | null = null): Optimizer {
  switch (spec.type) {
    case "sgd":
      return kernels === null ? new Sgd(params, spec.weightDecay, null) : new KernelSgd(kernels, params, spec.weightDecay);
    case "momentum":
      return new Sgd(params, spec.weightDecay, spec.momentum);
    case "adam":
      return new Adam(params, spec, "coupled");
    case "adamw":
      return new Adam(params, spec, "decoupled");
    default:
      // Unreachable for a checked spec: core refuses an optimizer outside `supports`.
      throw new Error(`unknown optimizer '${String(spec.type)}'`);
  }
}
