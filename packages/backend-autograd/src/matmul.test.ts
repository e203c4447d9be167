import { Rng } from "@crossprop/core";
import { describe, expect, it } from "vitest";
import { GRADIENT_TOLERANCE, gradientError, randomTensor } from "./finite-differences.fixture.ts";
import { matmul } from "./matmul.ts";
import { Tensor } from "./tensor.ts";

/** C = A @ B by the textbook triple loop, in float64. */
function naiveMatmul(a: ArrayLike<number>, b: ArrayLike<number>, n: number, k: number, m: number): number[] {
  const out = new Array<number>(n * m).fill(0);
  for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) for (let p = 0; p < k; p++) out[i * m + j] += a[i * k + p]! * b[p * m + j]!;
  return out;
}

/** Pixel-like values: `zeroFraction` exact zeros, the rest in (0, 1]. */
function sparseValues(rng: Rng, size: number, zeroFraction: number): number[] {
  return Array.from({ length: size }, () => (rng.uniform() < zeroFraction ? 0 : 1 - rng.uniform()));
}

describe("matmul", () => {
  // Widths that exercise the 8-, 4- and 1-row passes of the kernel and every zero pattern.
  const shapes: [number, number, number][] = [
    [1, 1, 1],
    [3, 13, 5],
    [7, 29, 17],
    [4, 8, 9],
  ];
  for (const [n, k, m] of shapes) {
    for (const zeroFraction of [0, 0.8, 1]) {
      it(`[${n},${k}] @ [${k},${m}] with ${zeroFraction * 100}% zeros in A equals the triple loop`, () => {
        const rng = new Rng(n * 100 + k, "matmul");
        const a = Tensor.from(sparseValues(rng, n * k, zeroFraction), [n, k], "float64");
        const b = randomTensor(rng, [k, m]);
        const c = matmul(a, b);
        expect(c.shape).toEqual([n, m]);
        const expected = naiveMatmul(a.data, b.data, n, k, m);
        // Float64 sums of ≤ 29 terms in another order: within a few ulps of |terms| ≲ 29·4.
        c.data.forEach((value, i) => expect(Math.abs(value - expected[i]!)).toBeLessThan(1e-13));
      });
    }
    it(`[${n},${k}] @ [${k},${m}]: gradients of both operands match central differences`, () => {
      const rng = new Rng(n + k + m, "matmul-grad");
      const a = Tensor.from(sparseValues(rng, n * k, 0.5), [n, k], "float64", true);
      expect(gradientError(matmul, [a, randomTensor(rng, [k, m])])).toBeLessThan(GRADIENT_TOLERANCE);
    });
  }

  it("gives zero-skipped A elements their gradient too (dA is dense)", () => {
    const a = Tensor.from([0, 2], [1, 2], "float64", true);
    const b = Tensor.from([3, 5], [2, 1], "float64", true);
    matmul(a, b).backward();
    expect(Array.from(a.grad!)).toEqual([3, 5]);
    expect(Array.from(b.grad!)).toEqual([0, 2]);
  });

  it("rounds each float32 sum once: equals the float64 product rounded to float32", () => {
    const rng = new Rng(9, "matmul-f32");
    const a32 = Tensor.from(sparseValues(rng, 8 * 50, 0.7), [8, 50], "float32");
    const b32 = Tensor.from(Array.from({ length: 50 * 6 }, () => rng.normal()), [50, 6], "float32");
    const expected = naiveMatmul(a32.data, b32.data, 8, 50, 6);
    matmul(a32, b32).data.forEach((value, i) => expect(value).toBe(Math.fround(expected[i]!)));
  });

  it("rejects mismatched shapes", () => {
    expect(() => matmul(Tensor.zeros([2, 3], "float64"), Tensor.zeros([2, 3], "float64"))).toThrow("cannot multiply");
  });
});
