import type { FloatArray, Reduction } from "@crossprop/core";

/**
 * Cross-entropy of logits [rows, classes] against integer labels, computed by log-sum-exp:
 * L_r = log Σ_c exp(z_rc - m_r) + m_r - z_r,y with m_r = max_c z_rc, so no exp overflows.
 * Returns Σ_r L_r ("sum") or its mean over rows ("mean"), and adds
 * dL/dz = scale · (softmax(z) - onehot(y)) into gradLogits (scale 1/rows for "mean", else 1).
 */
export function crossEntropy(
  logits: FloatArray,
  labels: Int32Array,
  rows: number,
  classes: number,
  reduction: Reduction,
  gradLogits: FloatArray,
): number {
  const scale = reduction === "mean" ? 1 / rows : 1;
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
    for (let c = 0; c < classes; c++) sumExp += Math.exp(logits[row + c]! - max);
    total += Math.log(sumExp) + max - logits[row + label]!;
    const gradScale = scale / sumExp;
    for (let c = 0; c < classes; c++) gradLogits[row + c] += gradScale * Math.exp(logits[row + c]! - max);
    gradLogits[row + label] -= scale;
  }
  return total * scale;
}
