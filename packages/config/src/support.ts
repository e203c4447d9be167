import { checkBackends } from "@crossprop/backends";
import { mlpLayers } from "@crossprop/core";
import type { LoadedConfig } from "./load.ts";
import { withConfigLocation } from "./locate.ts";

/**
 * What the config's backend computes — dtype, activations, loss, optimizer — checked from the
 * config alone, with no data loaded, so `sweep` refuses a trial its backend cannot run before any
 * trial trains (a ConfigError at the field's line). Support does not depend on the input or output
 * width, so 1 stands for both; `run` and `check` check the real spec once the data is loaded.
 */
export function checkBackendSupport(loaded: LoadedConfig): void {
  const { backend, dtype, model, loss, optimizer } = loaded.config;
  const layers = mlpLayers(1, model.hidden, 1, model.activation, model.output_activation);
  const spec = { inputs: 1, layers, loss: { type: loss.type, reduction: loss.reduction, scale: loss.scale }, dtype };
  const { type, momentum, beta1, beta2, epsilon, weight_decay: weightDecay } = optimizer;
  withConfigLocation(loaded, () => checkBackends([backend], spec, { type, momentum, beta1, beta2, epsilon, weightDecay }));
}
