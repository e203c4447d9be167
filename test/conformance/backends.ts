import { BACKEND_NAMES, backendEntry, DEFAULT_BACKEND, loadBackend, type BackendTolerance } from "@crossprop/backends";
import type { Backend, DType } from "@crossprop/core";

/** One configuration of a registered backend, held to its registry tolerances. */
export interface BackendUnderTest {
  backend: Backend;
  /** Per dtype the backend declares; a dtype it lacks must be refused by core's spec checks. */
  tolerances: Partial<Record<DType, BackendTolerance>>;
}

/** Every backend is compared with the registry's default backend, from identical parameters and batches. */
export const REFERENCE: Backend = await loadBackend(DEFAULT_BACKEND);

/**
 * Every other registered backend, once per variant the registry lists (tfjs: once per engine this
 * machine loads, named by engine so the reports tell them apart). The tolerances are the registry's,
 * the same that `crossprop check` uses; registry.ts says where each figure comes from.
 */
export const BACKENDS_UNDER_TEST: BackendUnderTest[] = [];
for (const name of BACKEND_NAMES.filter((n) => n !== DEFAULT_BACKEND)) {
  const entry = backendEntry(name);
  const variants = entry.variants ? await entry.variants() : [{ label: name, options: {} }];
  for (const { label, options } of variants) {
    BACKENDS_UNDER_TEST.push({ backend: { ...(await loadBackend(name, options)), name: label }, tolerances: entry.tolerances });
  }
}
