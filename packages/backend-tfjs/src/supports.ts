import { ALL_ACTIVATIONS, ALL_LOSSES, ALL_OPTIMIZERS, type BackendSupport } from "@crossprop/core";

/**
 * What backend tfjs computes. float32 only: TensorFlow.js has no float64 on its node, wasm and cpu
 * engines. Engines first = default: auto takes the fastest this machine can load. Imports no
 * tfjs, so the registry can read it without loading TensorFlow.js.
 */
export const supports = {
  dtypes: ["float32"] as const,
  activations: ALL_ACTIVATIONS,
  losses: ALL_LOSSES,
  optimizers: ALL_OPTIMIZERS,
  // `as const` keeps the engine names literal, for engine.ts's EngineChoice and the config's enum.
  engines: ["auto", "node", "wasm", "cpu"] as const,
} satisfies BackendSupport;
