import { describe, expect, it } from "vitest";
import { add, mul as mulBy } from "./arithmetic.ts";
import { broadcastPlan, broadcastShapes } from "./broadcast.ts";
import { sum } from "./reduce.ts";
import { Tensor } from "./tensor.ts";

describe("broadcastShapes", () => {
  it("aligns trailing axes and stretches extent-1 axes", () => {
    expect(broadcastShapes([3, 4], [4])).toEqual([3, 4]);
    expect(broadcastShapes([3, 1], [3, 4])).toEqual([3, 4]);
    expect(broadcastShapes([], [2, 3])).toEqual([2, 3]);
    expect(broadcastShapes([2, 1, 4], [3, 1])).toEqual([2, 3, 4]);
    expect(() => broadcastShapes([3, 4], [3])).toThrow("cannot broadcast shapes [3, 4] and [3]");
  });
});

describe("broadcastPlan", () => {
  it("starts each output row at the right offset of each operand", () => {
    const plan = broadcastPlan([2, 3], [2, 1]);
    expect(plan).toMatchObject({ shape: [2, 3], size: 6, rows: 2, inner: 3, innerStrides: [1, 0] });
    expect(Array.from(plan.rowOffsets[0])).toEqual([0, 3]);
    expect(Array.from(plan.rowOffsets[1])).toEqual([0, 1]);
    const scalar = broadcastPlan([], []);
    expect(scalar).toMatchObject({ shape: [], size: 1, rows: 1, inner: 1 });
  });

  it("names the layouts the loops take short paths for", () => {
    expect(broadcastPlan([4, 3], [4, 3]).layouts).toEqual(["full", "full"]);
    expect(broadcastPlan([4, 3], [4, 1]).layouts).toEqual(["full", "column"]);
    expect(broadcastPlan([4, 1], [4, 3]).layouts).toEqual(["column", "full"]);
    expect(broadcastPlan([4, 3], [3]).layouts).toEqual(["full", "other"]);
    expect(broadcastPlan([4, 3], []).layouts).toEqual(["full", "other"]);
    expect(broadcastPlan([2, 4, 3], [4, 1]).layouts).toEqual(["full", "other"]);
    expect(broadcastPlan([5, 1], [5, 1]).layouts).toEqual(["full", "full"]);
  });

  it.each([
    ["same shape", [6, 5], [6, 5]],
    ["[n,m] with [n,1]", [6, 5], [6, 1]],
    ["[n,1] with [n,m]", [6, 1], [6, 5]],
    ["[n,m] with [m]", [6, 5], [5]],
  ])("short and general paths agree with a per-element reference, bit for bit (%s)", (_label, shapeA, shapeB) => {
    // float32 values far apart in magnitude, so any reordering of a sum would show.
    const values = (n: number, seed: number) => Array.from({ length: n }, (_, i) => Math.fround(Math.sin(i * 7.1 + seed) * 10 ** ((i % 5) - 2)));
    const size = (shape: number[]) => shape.reduce((p, e) => p * e, 1);
    const a = Tensor.from(values(size(shapeA), 1), shapeA, "float32", true);
    const b = Tensor.from(values(size(shapeB), 2), shapeB, "float32", true);
    const plan = broadcastPlan(a.shape, b.shape);
    const out = add(a, b);
    const weights = Tensor.from(values(plan.size, 3), plan.shape, "float32");
    sum(mulBy(out, weights)).backward();
    // The reference: every output element from its two operand elements; each operand's gradient
    // the float64 sum, in output order, of the weights over the elements it fed, rounded once.
    const index = (shape: number[], row: number, j: number) => (shape.length === 1 ? j % shape[0]! : (shape[0] === 1 ? 0 : row) * shape[1]! + (shape[1] === 1 ? 0 : j));
    const [rows, inner] = plan.shape as [number, number];
    const gradA = new Float64Array(a.size), gradB = new Float64Array(b.size);
    for (let row = 0; row < rows; row++) {
      for (let j = 0; j < inner; j++) {
        const [ia, ib] = [index(shapeA, row, j), index(shapeB, row, j)];
        expect(out.data[row * inner + j]).toBe(Math.fround(a.data[ia]! + b.data[ib]!));
        gradA[ia] += weights.data[row * inner + j]!;
        gradB[ib] += weights.data[row * inner + j]!;
      }
    }
    expect(Array.from(a.grad!)).toEqual(Array.from(gradA, Math.fround));
    expect(Array.from(b.grad!)).toEqual(Array.from(gradB, Math.fround));
  });

  it("sums a stretched operand's gradient in float64 and rounds once", () => {
    // 10,000 rows each adding 0.1 to a float32 bias gradient: float32 running sums would drift.
    const rows = 10_000;
    const bias = Tensor.from([0], [1], "float32", true);
    const ones = Tensor.from(new Float32Array(rows).fill(0.1), [rows, 1], "float32");
    sum(add(ones, bias)).backward();
    expect(bias.grad![0]).toBe(rows);
    const scale = Tensor.from([0.1], [1], "float32", true);
    sum(add(ones, scale)).backward();
    expect(scale.grad![0]).toBe(rows);
  });
});
