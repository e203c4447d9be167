import { BACKEND_NAMES, backendEntry, DEFAULT_CHECK_REFERENCE, loadParticipant, parseParticipant, participantTolerances, type BackendTolerance } from "@crossprop/backends";
import type { Backend, DType } from "@crossprop/core";

/** One configuration of a registered backend, held to its registry tolerances. */
export interface BackendUnderTest {
  backend: Backend;
  /** Per dtype the backend declares; a dtype it lacks must be refused by core's spec checks. */
  tolerances: Partial<Record<DType, BackendTolerance>>;
}

/** Every backend is compared with check's default reference (manual's TypeScript loops), from identical parameters and batches. */
export const REFERENCE: Backend = { ...(await loadParticipant(parseParticipant(DEFAULT_CHECK_REFERENCE)!, {})), name: DEFAULT_CHECK_REFERENCE };

/**
 * Every registered backend once per variant the registry lists (each engine of manual and
 * autograd; tfjs once per engine this machine loads), named by variant so the reports tell them
 * apart — all but the reference itself. The tolerances are the registry's, the same that `crossprop
 * check` uses; registry.ts says where each figure comes from.
 */
export const BACKENDS_UNDER_TEST: BackendUnderTest[] = [];
for (const name of BACKEND_NAMES) {
  const entry = backendEntry(name);
  const variants = entry.variants ? await entry.variants() : [{ label: name, options: {} }];
  for (const { label, options } of variants) {
    if (label === DEFAULT_CHECK_REFERENCE) continue;
    const participant = parseParticipant(label);
    const tolerances = participant ? participantTolerances(participant) : entry.tolerances;
    BACKENDS_UNDER_TEST.push({ backend: { ...(await entry.load(options)), name: label }, tolerances });
  }
}
