import type { StepLine } from "./run-files.ts";

/** One step's loss difference between a run and the reference run: other − reference, per example. */
export interface StepDifference {
  step: number;
  delta: number;
}

/**
 * The per-step loss difference `other − reference`, for every step both recorded with a finite loss
 * (a diverged run stops early, so the series ends where it diverged).
 */
export function stepLossDifferences(reference: readonly StepLine[], other: readonly StepLine[]): StepDifference[] {
  const byStep = new Map<number, number>();
  for (const line of reference) if (isFiniteLoss(line.loss_per_example)) byStep.set(line.step, line.loss_per_example);
  const differences: StepDifference[] = [];
  for (const line of other) {
    const base = byStep.get(line.step);
    if (base !== undefined && isFiniteLoss(line.loss_per_example)) differences.push({ step: line.step, delta: line.loss_per_example - base });
  }
  return differences;
}

/**
 * Where identical losses (|Δ| = 0, which a log scale cannot draw) are put on the |Δ| chart: the
 * power of ten below the smallest non-zero |Δ|'s decade (1e-9 under float32 drift of ~3e-7), so
 * the zeros sit just under every real difference and the axis keeps its range; 1e-16 when every Δ is 0.
 */
export function zeroFloor(differences: readonly StepDifference[]): number {
  let smallest = Infinity;
  for (const { delta } of differences) if (delta !== 0 && Math.abs(delta) < smallest) smallest = Math.abs(delta);
  return Number.isFinite(smallest) ? Number(`1e${Math.floor(Math.log10(smallest)) - 1}`) : 1e-16;
}

function isFiniteLoss(loss: number | null): loss is number {
  return loss !== null && Number.isFinite(loss);
}
