// Helpers shared by the kernels: partial-vector stores and the strict "acc + product" step.

/** Stores the first `lanes` (1–4) float32 lanes of `v` at `p`; the other lanes stay untouched. */
@inline
export function storeLanes(p: usize, v: v128, lanes: i32): void {
  if (lanes >= 4) v128.store(p, v);
  else if (lanes == 3) {
    v128.store64_lane(p, v, 0);
    v128.store32_lane(p, v, 2, 8);
  } else if (lanes == 2) v128.store64_lane(p, v, 0);
  else v128.store32_lane(p, v, 0);
}

/** acc + x·y with the product rounded to f32 before the sum (never fused). */
@inline
export function mulAdd(acc: v128, x: v128, y: v128): v128 {
  return f32x4.add(acc, f32x4.mul(x, y));
}

/** The tile's result, or out + result when accumulating (`out` may be read past its row by ≤ 12 bytes). */
@inline
export function finish(po: usize, c: v128, accumulate: bool): v128 {
  return accumulate ? f32x4.add(v128.load(po), c) : c;
}
