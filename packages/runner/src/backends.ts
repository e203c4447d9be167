import type { Backend } from "@crossprop/core";
import type { Config } from "./config/index.ts";

/** What a backend may be configured with, from the config's backend-specific sections. */
export interface BackendOptions {
  tfjsEngine: Config["tfjs"]["engine"];
}

/** Every backend by name, loaded lazily: a run imports only the backends it uses. */
export const BACKENDS = {
  manual: async () => (await import("@crossprop/backend-manual")).manualBackend,
  autograd: async () => (await import("@crossprop/backend-autograd")).autogradBackend,
  tfjs: async (options: BackendOptions) => (await import("@crossprop/backend-tfjs")).createTfjsBackend({ engine: options.tfjsEngine }),
} satisfies Record<string, (options: BackendOptions) => Promise<Backend>>;

export type BackendName = keyof typeof BACKENDS;

export const BACKEND_NAMES = Object.keys(BACKENDS) as BackendName[];

export function loadBackend(name: BackendName, options: BackendOptions = { tfjsEngine: "auto" }): Promise<Backend> {
  return BACKENDS[name](options);
}

export function backendOptions(config: Config): BackendOptions {
  return { tfjsEngine: config.tfjs.engine };
}
