/**
 * Gradient checks by central finite differences, in float64. Used by every backend's tests and by
 * `crossprop check`. With step h the error is O(h²·|f'''|) from truncation plus O(eps·|f|/h) from
 * rounding: at h = 1e-6 about 1e-12 and 2e-10·|f|, so analytic and numeric gradients agree to
 * ~1e-8 relative unless a gradient is tiny next to |f|; then raise `floor`, or h toward eps^(1/3).
 */

export const DEFAULT_STEP = 1e-6;
export const DEFAULT_FLOOR = 1e-8;

/** The result of comparing an analytic gradient with central differences over some indices. */
export interface GradientCheck {
  /** max over the checked indices of |analytic - numeric| / max(|analytic|, |numeric|, floor). */
  maxRelativeError: number;
  /** The index where that maximum was reached (-1 when no index was checked). */
  worstIndex: number;
  analytic: number;
  numeric: number;
}

export interface GradientCheckOptions {
  /** Finite-difference step h. */
  step?: number;
  /** Smallest denominator of the relative error, so gradients near 0 are compared absolutely. */
  floor?: number;
}

/** df/dx[index] ≈ (f(x + h·e) - f(x - h·e)) / 2h; x[index] is restored afterwards. */
export function centralDifference(f: () => number, x: Float64Array, index: number, h = DEFAULT_STEP): number {
  const saved = checkIndex(x, index);
  try {
    x[index] = saved + h;
    const plus = f();
    x[index] = saved - h;
    const minus = f();
    return (plus - minus) / (2 * h);
  } finally {
    x[index] = saved;
  }
}

/** centralDifference for a loss computed asynchronously (e.g. through a backend's Model). */
export async function centralDifferenceAsync(
  f: () => Promise<number>,
  x: Float64Array,
  index: number,
  h = DEFAULT_STEP,
): Promise<number> {
  const saved = checkIndex(x, index);
  try {
    x[index] = saved + h;
    const plus = await f();
    x[index] = saved - h;
    const minus = await f();
    return (plus - minus) / (2 * h);
  } finally {
    x[index] = saved;
  }
}

/** |a - n| / max(|a|, |n|, floor): relative where the gradient is large, absolute near 0. */
export function relativeError(analytic: number, numeric: number, floor = DEFAULT_FLOOR): number {
  return Math.abs(analytic - numeric) / Math.max(Math.abs(analytic), Math.abs(numeric), floor);
}

/** Compares `analytic[i]` (df/dx[i]) with central differences of f at each of `indices`. */
export function checkGradient(
  f: () => number,
  x: Float64Array,
  analytic: ArrayLike<number>,
  indices: Iterable<number>,
  options: GradientCheckOptions = {},
): GradientCheck {
  const result = emptyCheck();
  for (const index of indices) {
    record(result, index, analytic[index], centralDifference(f, x, index, options.step), options.floor);
  }
  return result;
}

/** checkGradient for a loss computed asynchronously. */
export async function checkGradientAsync(
  f: () => Promise<number>,
  x: Float64Array,
  analytic: ArrayLike<number>,
  indices: Iterable<number>,
  options: GradientCheckOptions = {},
): Promise<GradientCheck> {
  const result = emptyCheck();
  for (const index of indices) {
    const numeric = await centralDifferenceAsync(f, x, index, options.step);
    record(result, index, analytic[index], numeric, options.floor);
  }
  return result;
}

/** 0, 1, ..., length-1: the indices of a full check. */
export function allIndices(length: number): number[] {
  return Array.from({ length }, (_, i) => i);
}

function checkIndex(x: Float64Array, index: number): number {
  if (!Number.isInteger(index) || index < 0 || index >= x.length) {
    throw new RangeError(`gradient check index ${index} is outside [0, ${x.length})`);
  }
  return x[index]!;
}

function emptyCheck(): GradientCheck {
  return { maxRelativeError: 0, worstIndex: -1, analytic: Number.NaN, numeric: Number.NaN };
}

function record(result: GradientCheck, index: number, analytic: number | undefined, numeric: number, floor = DEFAULT_FLOOR) {
  if (analytic === undefined) throw new RangeError(`no analytic gradient at index ${index}`);
  const error = relativeError(analytic, numeric, floor);
  // `!(error <= max)` so a NaN (from a NaN gradient) becomes the worst error instead of being skipped.
  if (result.worstIndex === -1 || !(error <= result.maxRelativeError)) {
    result.maxRelativeError = Number.isNaN(error) ? Number.POSITIVE_INFINITY : error;
    result.worstIndex = index;
    result.analytic = analytic;
    result.numeric = numeric;
  }
}
