import type { FloatArray } from "@crossprop/core";
import { reductionFactor, type LossReduction } from "./reduction.ts";

/**
 * Notebook 004's sigmoid distance of one logit z per row from a 0/1 label y:
 * l = y = 1 ? 1 − σ(z) : σ(z). Returns factor · Σ_r l_r (reduction.ts) and adds
 * dl/dz = factor · (y = 1 ? −σ(z)·(1 − σ(z)) : σ(z)·(1 − σ(z))) into gradLogits.
 * 1 − σ(z) is computed as σ(−z): subtracting σ(z) ≈ 1 from 1 would lose its digits.
 */
export function sigmoidDistance(
  logits: FloatArray,
  labels: Int32Array,
  rows: number,
  reduction: LossReduction,
  gradLogits: FloatArray,
): number {
  const factor = reductionFactor(reduction, rows);
  let total = 0;
  for (let r = 0; r < rows; r++) {
    const label = labels[r]!;
    if (label !== 0 && label !== 1) throw new RangeError(`label ${label} of row ${r} is not 0 or 1 for sigmoid_distance`);
    const z = logits[r]!;
    // exp overflows to Infinity for |z| > 709, making one of these exactly 0 and the other 1: no NaN.
    const sigma = 1 / (1 + Math.exp(-z));
    const oneMinusSigma = 1 / (1 + Math.exp(z));
    total += label === 1 ? oneMinusSigma : sigma;
    // dσ/dz = σ·(1 − σ)
    const slope = factor * sigma * oneMinusSigma;
    gradLogits[r] += label === 1 ? -slope : slope;
  }
  return total * factor;
}
