import { ALL_ACTIVATIONS, ALL_DTYPES, ALL_LOSSES, ALL_OPTIMIZERS, type BackendSupport } from "@crossprop/core";

/**
 * What backend manual computes: every dtype, activation, loss and optimizer of the contract. Engines
 * (first = default): wasm computes float32 with @crossprop/kernels' SIMD products on every thread;
 * typescript is the plain readable loops. float64 always runs the typescript loops.
 */
export const supports = {
  dtypes: ALL_DTYPES,
  activations: ALL_ACTIVATIONS,
  losses: ALL_LOSSES,
  optimizers: ALL_OPTIMIZERS,
  engines: ["wasm", "typescript"] as const,
} satisfies BackendSupport;
