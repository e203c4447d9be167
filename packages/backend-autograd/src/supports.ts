import { ALL_ACTIVATIONS, ALL_DTYPES, ALL_LOSSES, ALL_OPTIMIZERS, type BackendSupport } from "@crossprop/core";

/**
 * What backend autograd computes: every dtype, activation, loss and optimizer of the contract. Engines
 * (first = default): wasm keeps its tensors in @crossprop/kernels' memory and runs matmul, the bias
 * add and relu there (float32); typescript is the plain loops. float64 always runs typescript.
 */
export const supports = {
  dtypes: ALL_DTYPES,
  activations: ALL_ACTIVATIONS,
  losses: ALL_LOSSES,
  optimizers: ALL_OPTIMIZERS,
  engines: ["wasm", "typescript"] as const,
} satisfies BackendSupport;
