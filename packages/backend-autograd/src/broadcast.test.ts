import { describe, expect, it } from "vitest";
import { add } from "./arithmetic.ts";
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
