import type { Backend } from "@crossprop/core";

/** Every backend by name, loaded lazily: a run imports only the backend it uses. */
export const BACKENDS = {
  manual: async () => (await import("@crossprop/backend-manual")).manualBackend,
  autograd: async () => (await import("@crossprop/backend-autograd")).autogradBackend,
  tfjs: async () => (await import("@crossprop/backend-tfjs")).tfjsBackend,
} satisfies Record<string, () => Promise<Backend>>;

export type BackendName = keyof typeof BACKENDS;

export const BACKEND_NAMES = Object.keys(BACKENDS) as BackendName[];

export function loadBackend(name: BackendName): Promise<Backend> {
  return BACKENDS[name]();
}
