import type { BackendSupport } from "@crossprop/core";

/**
 * What backend manual computes: every dtype, activation, loss and optimizer of the contract, on its
 * one engine. Spelled out rather than taken from core's ALL_* so this file loads nothing but itself.
 */
export const supports: BackendSupport = {
  dtypes: ["float32", "float64"],
  activations: ["relu", "tanh", "sigmoid", "identity"],
  losses: ["cross_entropy", "mse", "sigmoid_distance", "bce"],
  optimizers: ["sgd", "momentum", "adam", "adamw"],
  engines: [],
};
