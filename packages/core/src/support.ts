import type { Activation, DType, LossType, OptimizerType } from "./model-spec.ts";

/**
 * What a backend computes, as data: declared once by each backend, read by the registry (before the
 * backend's module is loaded) and by core's spec checks. A spec outside it is refused up front with
 * a config path, so no backend re-validates a spec in its own words.
 */
export interface BackendSupport {
  dtypes: readonly DType[];
  activations: readonly Activation[];
  losses: readonly LossType[];
  optimizers: readonly OptimizerType[];
  /** The engines a backend can run on, first = its default; empty when it has no choice. */
  engines: readonly string[];
}

export const ALL_DTYPES: readonly DType[] = ["float32", "float64"];
export const ALL_ACTIVATIONS: readonly Activation[] = ["relu", "tanh", "sigmoid", "identity"];
export const ALL_LOSSES: readonly LossType[] = ["cross_entropy", "mse", "sigmoid_distance", "bce"];
export const ALL_OPTIMIZERS: readonly OptimizerType[] = ["sgd", "momentum", "adam", "adamw"];
