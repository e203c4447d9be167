import type { FloatArray } from "@crossprop/core";
import { reductionFactor, type LossReduction } from "./reduction.ts";

/**
 * Cross-entropy of logits [rows, classes] against integer labels, computed by log-sum-exp:
 * L_r = log Σ_c exp(z_rc - m_r) + m_r - z_r,y with m_r = max_c z_rc, so no exp overflows.
 * Returns factor · Σ_r L_r and adds dL/dz = factor · (softmax(z) - onehot(y)) into gradLogits, with
 * factor = scale/rows for "mean", scale for "sum" (see reduction.ts).
 */
export function crossEntropy(
  logits: FloatArray,
  labels: Int32Array,
  rows: number,
  classes: number,
  reduction: LossReduction,
  gradLogits: FloatArray,
): number {
  const factor = reductionFactor(reduction, rows);
  // exp(z_rc - m_r) of the current row, computed once for the sum and the gradient.
  const exps = expScratch(classes);
  let total = 0;
  for (let r = 0; r < rows; r++) {
    const label = labels[r]!;
    if (!(label >= 0 && label < classes)) {
      throw new RangeError(`label ${label} of row ${r} is outside [0, ${classes}) for cross_entropy`);
    }
    const row = r * classes;
    let max = Number.NEGATIVE_INFINITY;
    for (let c = 0; c < classes; c++) {
      const z = logits[row + c]!;
      if (z > max) max = z;
    }
    let sumExp = 0;
    for (let c = 0; c < classes; c++) {
      const e = Math.exp(logits[row + c]! - max);
      exps[c] = e;
      sumExp += e;
    }
    total += Math.log(sumExp) + max - logits[row + label]!;
    const gradScale = factor / sumExp;
    for (let c = 0; c < classes; c++) gradLogits[row + c] += gradScale * exps[c]!;
    gradLogits[row + label] -= factor;
  }
  return total * factor;
}

let scratch = new Float64Array(16);

/** A float64 buffer of at least `length`, reused across calls (the exps are doubles, as Math.exp returns them). */
function expScratch(length: number): Float64Array {
  if (scratch.length < length) scratch = new Float64Array(length);
  return scratch;
}
