import { BACKEND_NAMES, backendEntry, isBackendName, parseParticipant, participantTolerances, type BackendTolerance } from "@crossprop/backends";
import type { DType, Tolerance } from "@crossprop/core";

/** Tolerances of one backend pair: the loss (relative), every parameter-shaped tensor and the outputs, and the intermediates (see core's compareArrays). */
export interface PairTolerance {
  loss: number;
  tensors: Tolerance;
  intermediates: Tolerance;
}

/**
 * The intermediates (z, h, dL/dh, dL/dz per layer) are held to 100 × the tensors' rtol. They are
 * per example, where a gradient is a sum over the batch, and they inherit the conditioning of what
 * made them: on configs/mlp.yaml (std-1 init) the logits reach |z| ≈ 10², whose float32 rounding
 * (|z|·2⁻²⁴ ≈ 1e-5) softmax turns into dlogits 9.1e-5 apart between the two TypeScript backends and
 * 1.7e-4 between those and the float32-summing ones (measured: check on every configs/*.yaml), against
 * 1e-5 and 1e-4 for the gradients. A wrong formula is off by O(1): the exercises' smallest is 0.5
 * (packages/exercises, test/exercises/check-matrix.test.ts), three decades above.
 */
export const INTERMEDIATE_FACTOR = 100;

export interface ToleranceOverride {
  rtol: number | null;
  atol: number | null;
}

/** The strictest registered tolerance in `dtype`: what a backend outside the registry (a test double) is held to. */
function strictest(dtype: DType): BackendTolerance {
  const known = BACKEND_NAMES.map((name) => backendEntry(name).tolerances[dtype]).filter((t): t is BackendTolerance => t !== undefined);
  return { loss: Math.min(...known.map((t) => t.loss)), rtol: Math.min(...known.map((t) => t.rtol)), floor: Math.min(...known.map((t) => t.floor)) };
}

/** The registry name of a participant label (`manual:wasm` → manual); a name outside the registry stays as it is. */
function registryName(label: string): string {
  return label.split(":")[0]!;
}

/** A backend's own tolerance in `dtype` (`manual` or `manual:wasm`), from the registry; a test double: the strictest. */
export function backendTolerance(dtype: DType, label: string): BackendTolerance {
  const participant = parseParticipant(label);
  return (participant ? participantTolerances(participant)[dtype] : undefined) ?? strictest(dtype);
}

/**
 * The tolerance for comparing `backend` with `reference`: the looser of the two registry entries,
 * with any --rtol/--atol (or config) override.
 */
export function pairTolerance(dtype: DType, backend: string, reference: string, override: ToleranceOverride): PairTolerance {
  const a = backendTolerance(dtype, backend);
  const b = backendTolerance(dtype, reference);
  const tensors = { rtol: override.rtol ?? Math.max(a.rtol, b.rtol), atol: override.atol, floor: Math.max(a.floor, b.floor) };
  return {
    loss: override.rtol ?? Math.max(a.loss, b.loss),
    tensors,
    intermediates: { ...tensors, rtol: override.rtol ?? INTERMEDIATE_FACTOR * tensors.rtol },
  };
}

/** Central differences of step 1e-6 in float64; elements below 1e-2·max|gradient| compare against that scale. */
export const FINITE_DIFFERENCE = { step: 1e-6, floor: 1e-2 } as const;

/** The finite-difference check's bound for `backend` in `dtype` (its registry entry; a test double: the strictest). */
export function numericalTolerance(dtype: DType, label: string): number {
  const backend = registryName(label);
  const own = isBackendName(backend) ? backendEntry(backend).finiteDifference[dtype] : undefined;
  return own ?? Math.min(...BACKEND_NAMES.map((name) => backendEntry(name).finiteDifference[dtype] ?? Infinity));
}
