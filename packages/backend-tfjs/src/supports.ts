import type { BackendSupport } from "@crossprop/core";

/**
 * What backend tfjs computes. float32 only: TensorFlow.js has no float64 on its node, wasm and cpu
 * engines. Engines first = default: auto takes the fastest this machine can load. Imports no
 * tfjs, so the registry can read it without loading TensorFlow.js; `as const` keeps the engine
 * names literal for engine.ts's EngineChoice.
 */
export const supports = {
  dtypes: ["float32"],
  activations: ["relu", "tanh", "sigmoid", "identity"],
  losses: ["cross_entropy", "mse", "sigmoid_distance", "bce"],
  optimizers: ["sgd", "momentum", "adam", "adamw"],
  engines: ["auto", "node", "wasm", "cpu"],
} as const satisfies BackendSupport;
