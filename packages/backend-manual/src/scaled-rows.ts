import type { FloatArray } from "@crossprop/core";

/**
 * target[at + o] += Σ_{k ∈ [from, to)} scales[k] · source[rows[k] · width + o], for o < width.
 * The kernel of both big products of a dense layer: eight source rows per pass over the target
 * row, so each target load and store serves eight multiply-adds (measured ~1.4× faster than four),
 * summed as a tree so the eight products do not wait on one chain of additions (~5-10% faster).
 */
export function addScaledRows(
  target: FloatArray,
  at: number,
  source: FloatArray,
  rows: Int32Array,
  scales: Float64Array,
  from: number,
  to: number,
  width: number,
): void {
  let k = from;
  for (; k + 8 <= to; k += 8) {
    const s1 = rows[k]! * width, s2 = rows[k + 1]! * width, s3 = rows[k + 2]! * width, s4 = rows[k + 3]! * width;
    const s5 = rows[k + 4]! * width, s6 = rows[k + 5]! * width, s7 = rows[k + 6]! * width, s8 = rows[k + 7]! * width;
    const a1 = scales[k]!, a2 = scales[k + 1]!, a3 = scales[k + 2]!, a4 = scales[k + 3]!;
    const a5 = scales[k + 4]!, a6 = scales[k + 5]!, a7 = scales[k + 6]!, a8 = scales[k + 7]!;
    for (let o = 0; o < width; o++) {
      target[at + o] +=
        a1 * source[s1 + o]! + a2 * source[s2 + o]! + (a3 * source[s3 + o]! + a4 * source[s4 + o]!) +
        (a5 * source[s5 + o]! + a6 * source[s6 + o]! + (a7 * source[s7 + o]! + a8 * source[s8 + o]!));
    }
  }
  if (k + 4 <= to) {
    const s1 = rows[k]! * width, s2 = rows[k + 1]! * width, s3 = rows[k + 2]! * width, s4 = rows[k + 3]! * width;
    const a1 = scales[k]!, a2 = scales[k + 1]!, a3 = scales[k + 2]!, a4 = scales[k + 3]!;
    for (let o = 0; o < width; o++) {
      target[at + o] += a1 * source[s1 + o]! + a2 * source[s2 + o]! + (a3 * source[s3 + o]! + a4 * source[s4 + o]!);
    }
    k += 4;
  }
  for (; k < to; k++) {
    const s1 = rows[k]! * width;
    const a1 = scales[k]!;
    for (let o = 0; o < width; o++) target[at + o] += a1 * source[s1 + o]!;
  }
}
