import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Kernels, loadKernels } from "./index.ts";
import {
  expectSameBits, fillRandom, referenceMatmul, referenceMatmulTransA, referenceMatmulTransB, seededRandom,
} from "./reference.fixture.ts";

// Shapes around the 4×8 tile and the 4-lane tails: 0 and 1, below, at and past multiples of 4 and 8.
const SHAPES: [number, number, number][] = [
  [0, 3, 5], [3, 0, 5], [5, 7, 0], [1, 1, 1], [1, 9, 17], [2, 3, 3], [3, 5, 10], [4, 8, 8],
  [5, 4, 9], [7, 13, 11], [8, 1, 12], [13, 17, 31], [33, 65, 10], [64, 10, 64], [37, 100, 23],
];

type Variant = "matmul" | "matmulTransA" | "matmulTransB";
const REFERENCES = { matmul: referenceMatmul, matmulTransA: referenceMatmulTransA, matmulTransB: referenceMatmulTransB };

let kernels: Kernels;
beforeAll(async () => {
  kernels = await loadKernels({ threads: 1 });
});
afterAll(() => kernels.dispose());

function check(variant: Variant, m: number, k: number, n: number, accumulate: boolean, seed: number): void {
  const random = seededRandom(seed);
  const a = fillRandom(kernels.allocFloat32(m * k), random);
  const b = fillRandom(kernels.allocFloat32(k * n), random);
  const out = fillRandom(kernels.allocFloat32(m * n), random);
  const expected = Float32Array.from(out);
  REFERENCES[variant](expected, a, b, m, k, n, accumulate);
  kernels[variant](out, a, b, m, k, n, accumulate);
  expectSameBits(out, expected);
  for (const array of [a, b, out]) kernels.free(array);
}

describe.each(["matmul", "matmulTransA", "matmulTransB"] as const)("%s", (variant) => {
  it.each(SHAPES)("is bit-identical to the scalar reference for m=%i k=%i n=%i", (m, k, n) => {
    check(variant, m, k, n, false, 1000 * m + 10 * k + n);
    check(variant, m, k, n, true, 7 + 1000 * m + 10 * k + n);
  });

  it("is bit-identical on the MLP's shapes", () => {
    check(variant, 256, 256, 10, false, 1);
    check(variant, 256, 10, 256, true, 2);
  });

  it("writes only the m×n output elements", () => {
    const [m, k, n] = [5, 6, 7];
    const out = kernels.allocFloat32(m * n + 8);
    out.fill(42);
    kernels[variant](out, kernels.allocFloat32(m * k).fill(1), kernels.allocFloat32(k * n).fill(1), m, k, n);
    expect(Array.from(out.subarray(0, m * n))).toEqual(new Array(m * n).fill(6));
    expect(Array.from(out.subarray(m * n))).toEqual(new Array(8).fill(42));
  });
});

describe("dense product arguments", () => {
  it("rejects an output overlapping an input and arrays too short for the shapes", () => {
    const a = kernels.allocFloat32(64);
    const b = kernels.allocFloat32(64);
    expect(() => kernels.matmul(a.subarray(4), a, b, 4, 4, 4)).toThrow(/must not overlap a/);
    expect(() => kernels.matmul(kernels.allocFloat32(15), a, b, 4, 4, 4)).toThrow(/out has 15 elements; this call needs 16/);
    expect(() => kernels.matmul(kernels.allocFloat32(16), a, b, 4.5, 4, 4)).toThrow(/m must be a non-negative integer/);
  });
});
