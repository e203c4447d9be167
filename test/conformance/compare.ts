import type { FloatArray } from "@crossprop/core";

export interface Diff {
  maxAbs: number;
  maxRel: number;
  /** maxAbs / max|ref|: the error measured against the tensor's scale (what the floor bounds). */
  normwise: number;
  /** The element where maxRel was reached (-1 when the arrays are identical). */
  index: number;
}

/**
 * max_i |actual_i - ref_i| / max(|ref_i|, floor · max_j |ref_j|), the max absolute difference, and
 * the normwise error max_i |actual_i - ref_i| / max_j |ref_j|. The floor exists because elements
 * near 0 come out of cancelling sums: their rounding error scales with the terms summed (about the
 * tensor's scale), not with the element. A NaN anywhere, or a length mismatch, is an infinite error.
 */
export function tensorDiff(actual: FloatArray, reference: FloatArray, floor: number): Diff {
  if (actual.length !== reference.length) return { maxAbs: Infinity, maxRel: Infinity, normwise: Infinity, index: -1 };
  let largest = 0;
  for (let i = 0; i < reference.length; i++) largest = Math.max(largest, Math.abs(reference[i]!));
  const smallest = floor * largest;
  const diff: Diff = { maxAbs: 0, maxRel: 0, normwise: 0, index: -1 };
  for (let i = 0; i < reference.length; i++) {
    const abs = Math.abs(actual[i]! - reference[i]!);
    const rel = abs === 0 ? 0 : abs / Math.max(Math.abs(reference[i]!), smallest);
    if (!(rel <= diff.maxRel)) Object.assign(diff, { maxRel: Number.isNaN(rel) ? Infinity : rel, index: i });
    if (!(abs <= diff.maxAbs)) diff.maxAbs = Number.isNaN(abs) ? Infinity : abs;
  }
  diff.normwise = diff.maxAbs === 0 ? 0 : diff.maxAbs / largest;
  return diff;
}

/** |actual - reference| / |reference| for one number (a loss). */
export function scalarDiff(actual: number, reference: number): Diff {
  const abs = Math.abs(actual - reference);
  const rel = abs === 0 ? 0 : abs / Math.abs(reference);
  const maxRel = Number.isNaN(rel) ? Infinity : rel;
  return { maxAbs: Number.isNaN(abs) ? Infinity : abs, maxRel, normwise: maxRel, index: abs === 0 ? -1 : 0 };
}

/** The largest diffs seen per (backend, dtype, quantity), and where, for the report. */
export class DiffLog {
  private readonly worst = new Map<string, Diff & { where: string }>();

  record(key: string, diff: Diff, where: string): void {
    const seen = this.worst.get(key);
    if (seen === undefined) {
      this.worst.set(key, { ...diff, where });
      return;
    }
    if (diff.maxAbs > seen.maxAbs) seen.maxAbs = diff.maxAbs;
    if (diff.normwise > seen.normwise) seen.normwise = diff.normwise;
    if (diff.maxRel > seen.maxRel) Object.assign(seen, { maxRel: diff.maxRel, index: diff.index, where });
  }

  rows(): { key: string; maxAbs: string; normwise: string; maxRel: string; worstRelAt: string }[] {
    return [...this.worst].map(([key, diff]) => ({
      key,
      maxAbs: diff.maxAbs.toExponential(2),
      normwise: diff.normwise.toExponential(2),
      maxRel: diff.maxRel.toExponential(2),
      worstRelAt: diff.where,
    }));
  }
}
