import { autogradBackend } from "@crossprop/backend-autograd";
import { manualBackend } from "@crossprop/backend-manual";
import { availableEngines, createTfjsBackend } from "@crossprop/backend-tfjs";
import type { Backend } from "@crossprop/core";

/** Relative tolerances of one dtype (compare.ts says how tensors are compared). */
export interface DTypeTolerances {
  /** The loss of a batch, and the loss each trainStep returns: |a - ref| / |ref|. */
  loss: number;
  /** Every gradient, predicted output and parameter after the train steps, element by element. */
  tensors: number;
  /** Relative to max(|ref_i|, floor · max|ref|): elements below the floor compare absolutely. */
  floor: number;
}

export interface BackendUnderTest {
  backend: Backend;
  /** null: the backend does not compute in that dtype and must refuse it with a UserError. */
  float32: DTypeTolerances;
  float64: DTypeTolerances | null;
}

/** Every backend is compared with this one, from identical parameters and batches. */
export const REFERENCE: Backend = manualBackend;

/**
 * The backends under test, each with its tolerances per dtype. The floors come from rounding alone,
 * measured against float64 runs of the same float32-rounded inputs and parameters:
 * - float32: gradients are off the float64 result by up to 3.8e-7·max|ref| (autograd) and
 *   1.0e-6·max|ref| (manual: 1 - a² from saturated float32 tanh outputs cancels). With notebook
 *   000's std-1 init logits reach ~30, where one ulp (2e-6) becomes 2e-6 relative in softmax. The
 *   two backends differ by up to 1.3e-6·max|ref|, so 1e-5 relative holds only down to 0.2·max|ref|:
 *   floor 2e-1 (1.5× margin). Below it the check is absolute: 2e-6·max|ref|, ≈ 30 ulps of the max.
 * - float64: the backends differ by up to 3.2e-15·max|ref| (≈ 30 ulps): floor 1e-2 (3× margin).
 * To add a backend: one entry, with its own tolerances (null for a dtype it cannot compute).
 */
export const BACKENDS_UNDER_TEST: BackendUnderTest[] = [
  {
    backend: autogradBackend,
    float32: { loss: 1e-6, tensors: 1e-5, floor: 2e-1 },
    float64: { loss: 1e-12, tensors: 1e-12, floor: 1e-2 },
  },
  // tfjs once per engine this machine loads, named by engine so the reports tell them apart; float32
  // only (tfjs has no float64 on its engines). Loss 1e-5, tensors 1e-4 relative. tfjs differs from
  // manual by up to 3.4e-6·max|ref| normwise on wasm (XNNPACK's summation order and tanh/sigmoid),
  // 1.1e-6 on cpu: floor 1e-1 makes the absolute allowance 1e-5·max|ref| (3× margin).
  ...(await availableEngines()).map((engine) => ({
    backend: { ...createTfjsBackend({ engine: engine.replace("tfjs-", "") as "node" | "wasm" | "cpu" }), name: engine },
    float32: { loss: 1e-5, tensors: 1e-4, floor: 1e-1 },
    float64: null,
  })),
];
