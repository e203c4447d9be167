
/** How two arrays differ; `index` is the element with the largest relative difference. */
export interface ArrayDiff {
  /** Bit-for-bit equal. */
  exact: boolean;
  /** Every element within atol + rtol·|reference| (numpy.allclose). */
  allclose: boolean;
  maxAbs: number;
  /** max_i |a_i − r_i| / max(|r_i|, floor·max|r|); see compareArrays. */
  maxRel: number;
  /** -1 when the arrays are identical. */
  index: number;
}

export interface Tolerance {
  rtol: number;
  /** Absolute slack; null = rtol·floor·max|reference|, i.e. relative to the tensor's scale near 0. */
  atol: number | null;
  /**
   * Elements smaller than floor·max|reference| are compared against that scale instead of
   * themselves: they come out of cancelling sums, so their rounding error follows the terms summed
   * (about the tensor's scale), not the element.
   */
  floor: number;
}

/** Compares `actual` with `reference` element by element. A NaN or a length mismatch never passes. */
export function compareArrays(actual: ArrayLike<number>, reference: ArrayLike<number>, tolerance: Tolerance): ArrayDiff {
  if (actual.length !== reference.length) return { exact: false, allclose: false, maxAbs: Infinity, maxRel: Infinity, index: -1 };
  let largest = 0;
  for (let i = 0; i < reference.length; i++) largest = Math.max(largest, Math.abs(reference[i]!));
  const scale = tolerance.floor * largest;
  const atol = tolerance.atol ?? tolerance.rtol * scale;
  const diff: ArrayDiff = { exact: true, allclose: true, maxAbs: 0, maxRel: 0, index: -1 };
  for (let i = 0; i < reference.length; i++) {
    const a = actual[i]!;
    const r = reference[i]!;
    if (Object.is(a, r) || a === r) continue;
    diff.exact = false;
    const abs = Math.abs(a - r);
    if (!(abs <= atol + tolerance.rtol * Math.abs(r))) diff.allclose = false;
    const rel = abs / Math.max(Math.abs(r), scale);
    // `!(x <= max)` so NaN counts as the worst difference rather than being skipped.
    if (!(rel <= diff.maxRel)) {
      diff.maxRel = Number.isNaN(rel) ? Infinity : rel;
      diff.index = i;
    }
    if (!(abs <= diff.maxAbs)) diff.maxAbs = Number.isNaN(abs) ? Infinity : abs;
  }
  return diff;
}

/** Relative difference of two scalars (losses): |a − r| / |r|. */
export function relativeDifference(actual: number, reference: number): number {
  if (actual === reference) return 0;
  const rel = Math.abs(actual - reference) / Math.abs(reference);
  return Number.isNaN(rel) ? Infinity : rel;
}

/** Row-major multi-index of a flat index, e.g. 1234 in [784, 256] → [4, 210]. */
export function unravelIndex(index: number, shape: readonly number[]): number[] {
  const out = new Array<number>(shape.length);
  for (let d = shape.length - 1; d >= 0; d--) {
    out[d] = index % shape[d]!;
    index = Math.floor(index / shape[d]!);
  }
  return out;
}
