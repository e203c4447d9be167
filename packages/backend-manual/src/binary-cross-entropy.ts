import type { FloatArray } from "@crossprop/core";
import { reductionFactor, type LossReduction } from "./reduction.ts";

/**
 * Binary cross-entropy of one logit z per row against a 0/1 label y, from the logit so nothing
 * overflows: l = −[y·log σ(z) + (1 − y)·log(1 − σ(z))] = max(z, 0) − z·y + log1p(exp(−|z|)).
 * Returns factor · Σ_r l_r (reduction.ts) and adds dl/dz = factor · (σ(z) − y) into gradLogits;
 * for y = 1 that is −σ(−z), which keeps its digits where σ(z) ≈ 1.
 */
export function binaryCrossEntropy(
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
    if (label !== 0 && label !== 1) throw new RangeError(`label ${label} of row ${r} is not 0 or 1 for bce`);
    const z = logits[r]!;
    total += (z > 0 ? z : 0) - z * label + Math.log1p(Math.exp(-Math.abs(z)));
    // σ(z) − y: −σ(−z) = −1/(1 + e^z) for y = 1, σ(z) = 1/(1 + e^−z) for y = 0
    gradLogits[r] += label === 1 ? -factor / (1 + Math.exp(z)) : factor / (1 + Math.exp(-z));
  }
  return total * factor;
}
