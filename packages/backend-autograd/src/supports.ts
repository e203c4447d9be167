import { ALL_ACTIVATIONS, ALL_DTYPES, ALL_LOSSES, ALL_OPTIMIZERS, type BackendSupport } from "@crossprop/core";

/** What backend autograd computes: every dtype, activation, loss and optimizer of the contract, on its engines. */
export const supports = {
  dtypes: ALL_DTYPES,
  activations: ALL_ACTIVATIONS,
  losses: ALL_LOSSES,
  optimizers: ALL_OPTIMIZERS,
  engines: ["typescript"] as const,
} satisfies BackendSupport;
