import type { DType, Tolerance } from "@crossprop/core";
import type { BackendName } from "../backends.ts";

/** Tolerances of one backend pair: the loss (relative) and every tensor (see core's compareArrays). */
export interface PairTolerance {
  loss: number;
  tensors: Tolerance;
}

/**
 * How closely each backend is expected to follow another in a dtype. A pair uses the looser of its
 * two backends. Float32: the two TypeScript backends differ by rounding only (~1e-6 of a tensor's
 * scale, measured by the conformance suite); tfjs sums in other orders and fuses differently, ~10×
 * more. Elements below `floor`·max|reference| compare against that scale (they come out of
 * cancelling sums). tfjs sums a loss in float32 (the TypeScript backends accumulate in float64):
 * over the 10,000 squared errors of notebook 002's full batch that alone differs by 2.5e-5, so its
 * loss tolerance is 1e-4 too. Float64 (TypeScript backends only): ~30 ulps.
 */
const DEFAULTS: Record<DType, Record<BackendName, PairTolerance>> = {
  float32: {
    manual: { loss: 1e-6, tensors: { rtol: 1e-5, atol: null, floor: 0.2 } },
    autograd: { loss: 1e-6, tensors: { rtol: 1e-5, atol: null, floor: 0.2 } },
    tfjs: { loss: 1e-4, tensors: { rtol: 1e-4, atol: null, floor: 0.2 } },
  },
  float64: {
    manual: { loss: 1e-12, tensors: { rtol: 1e-12, atol: null, floor: 1e-2 } },
    autograd: { loss: 1e-12, tensors: { rtol: 1e-12, atol: null, floor: 1e-2 } },
    tfjs: { loss: 1e-4, tensors: { rtol: 1e-4, atol: null, floor: 0.2 } },
  },
};

export interface ToleranceOverride {
  rtol: number | null;
  atol: number | null;
}

/** The tolerance for comparing `backend` with `reference`, with any --rtol/--atol (or config) override. */
export function pairTolerance(dtype: DType, backend: string, reference: string, override: ToleranceOverride): PairTolerance {
  // A backend outside the table (a test double) is held to the strictest standard.
  const a = DEFAULTS[dtype][backend as BackendName] ?? DEFAULTS[dtype].manual;
  const b = DEFAULTS[dtype][reference as BackendName] ?? DEFAULTS[dtype].manual;
  const rtol = override.rtol ?? Math.max(a.tensors.rtol, b.tensors.rtol);
  return {
    loss: override.rtol ?? Math.max(a.loss, b.loss),
    tensors: { rtol, atol: override.atol, floor: Math.max(a.tensors.floor, b.tensors.floor) },
  };
}

/**
 * Finite-difference check: the analytic gradient against central differences of a float64
 * reference forward, |a − n| / max(|n|, floor·max|gradient|). Float32 gradients carry ~1e-6
 * relative rounding, so 1e-3 passes every correct TypeScript backend and catches a 1% mistake;
 * float64 gradients agree to ~1e-8 (truncation + rounding of h = 1e-6 differences), so 1e-6.
 * tfjs differentiates σ as σ·(1 − σ) of its float32 output: where σ is within 6e-8 of 1 that
 * factor is quantised, and on notebook 004's saturated std-1 network its gradients are off the
 * float64 truth by up to 1.3e-2 of their scale — so 5e-2 for tfjs, whose 1% mistakes the pairwise
 * comparison with the reference (1e-4) catches instead.
 */
export function numericalTolerance(dtype: DType, backend: string): { rtol: number; floor: number; step: number } {
  if (dtype === "float64") return { rtol: 1e-6, floor: 1e-2, step: 1e-6 };
  return { rtol: backend === "tfjs" ? 5e-2 : 1e-3, floor: 1e-2, step: 1e-6 };
}
