import { describe, expect, it } from "vitest";
import { Rng } from "@crossprop/core";
import { addScaledRows } from "./scaled-rows.ts";

function naive(target: Float64Array, at: number, source: ArrayLike<number>, rows: Int32Array, scales: Float64Array, from: number, to: number, width: number) {
  for (let k = from; k < to; k++) {
    for (let o = 0; o < width; o++) target[at + o]! += scales[k]! * source[rows[k]! * width + o]!;
  }
}

describe("addScaledRows", () => {
  // Counts 0..19 cover the 8-wide passes, the 4-wide pass and the single-row tail.
  it("matches a naive loop for every count and several widths (float64: 1e-13 relative, only the summation order differs)", () => {
    const rng = new Rng(7, "test");
    for (const width of [1, 3, 10, 33]) {
      const sourceRows = 24;
      const source = Float64Array.from({ length: sourceRows * width }, () => rng.normal());
      const rows = Int32Array.from({ length: 24 }, () => rng.int(sourceRows));
      const scales = Float64Array.from({ length: 24 }, () => rng.normal());
      for (let count = 0; count < 20; count++) {
        const from = 2;
        const target = Float64Array.from({ length: width + 5 }, () => rng.normal());
        const expected = Float64Array.from(target);
        addScaledRows(target, 5, source, rows, scales, from, from + count, width);
        naive(expected, 5, source, rows, scales, from, from + count, width);
        for (let j = 0; j < target.length; j++) {
          expect(Math.abs(target[j]! - expected[j]!)).toBeLessThanOrEqual(1e-13 * Math.max(1, Math.abs(expected[j]!)));
        }
      }
    }
  });

  it("works on float32 (within float32 rounding, 1e-5 relative, of a float64 reference)", () => {
    const rng = new Rng(8, "test");
    const width = 17;
    const source = Float32Array.from({ length: 30 * width }, () => rng.normal());
    const rows = Int32Array.from({ length: 13 }, () => rng.int(30));
    const scales = Float64Array.from({ length: 13 }, () => rng.normal());
    const target = new Float32Array(width);
    const expected = new Float64Array(width);
    addScaledRows(target, 0, source, rows, scales, 0, 13, width);
    naive(expected, 0, source, rows, scales, 0, 13, width);
    for (let o = 0; o < width; o++) expect(Math.abs(target[o]! - expected[o]!)).toBeLessThan(1e-5 * Math.max(1, Math.abs(expected[o]!)));
  });

  it("leaves everything outside target[at, at + width) alone", () => {
    const target = new Float64Array(6);
    addScaledRows(target, 2, new Float64Array([1, 2]), new Int32Array([0]), new Float64Array([3]), 0, 1, 2);
    expect(Array.from(target)).toEqual([0, 0, 3, 6, 0, 0]);
  });
});
