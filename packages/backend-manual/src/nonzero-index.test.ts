import { describe, expect, it } from "vitest";
import { ColumnIndex, RowIndex } from "./nonzero-index.ts";

// [3, 4] with zeros in every row and one all-zero column (column 2).
const matrix = new Float32Array([
  0, 1.5, 0, -2,
  3, 0, 0, 0,
  0.25, -1, 0, 4,
]);

describe("RowIndex", () => {
  it("lists each row's nonzero columns and values in order", () => {
    const index = new RowIndex(3, 4);
    index.build(matrix, 3);
    expect(index.rowCount).toBe(3);
    expect(Array.from(index.start.subarray(0, 4))).toEqual([0, 2, 3, 6]);
    expect(Array.from(index.columns.subarray(0, 6))).toEqual([1, 3, 0, 0, 1, 3]);
    expect(Array.from(index.values.subarray(0, 6))).toEqual([1.5, -2, 3, 0.25, -1, 4]);
  });

  it("rebuilds for fewer rows and refuses more rows than it holds", () => {
    const index = new RowIndex(3, 4);
    index.build(matrix, 3);
    index.build(matrix.subarray(4), 1);
    expect(index.rowCount).toBe(1);
    expect(Array.from(index.start.subarray(0, 2))).toEqual([0, 1]);
    expect(index.columns[0]).toBe(0);
    expect(() => index.build(new Float32Array(16), 4)).toThrow(RangeError);
  });

  it("keeps NaN entries, so a NaN input still reaches the outputs", () => {
    const index = new RowIndex(1, 2);
    index.build(new Float64Array([Number.NaN, 0]), 1);
    expect(index.start[1]).toBe(1);
    expect(index.values[0]).toBeNaN();
  });
});

describe("ColumnIndex", () => {
  it("regroups the row index by column with rows ascending", () => {
    const byRow = new RowIndex(3, 4);
    byRow.build(matrix, 3);
    const byColumn = new ColumnIndex(3, 4);
    byColumn.build(byRow);
    expect(byColumn.rowCount).toBe(3);
    expect(Array.from(byColumn.start)).toEqual([0, 2, 4, 4, 6]);
    expect(Array.from(byColumn.rows.subarray(0, 6))).toEqual([1, 2, 0, 2, 0, 2]);
    expect(Array.from(byColumn.values.subarray(0, 6))).toEqual([3, 0.25, 1.5, -1, -2, 4]);
  });

  it("is rebuilt from scratch for a smaller batch", () => {
    const byRow = new RowIndex(3, 4);
    const byColumn = new ColumnIndex(3, 4);
    byRow.build(matrix, 3);
    byColumn.build(byRow);
    byRow.build(matrix, 1);
    byColumn.build(byRow);
    expect(Array.from(byColumn.start)).toEqual([0, 0, 1, 1, 2]);
    expect(Array.from(byColumn.values.subarray(0, 2))).toEqual([1.5, -2]);
  });

  it("refuses a row index of another shape", () => {
    const byRow = new RowIndex(3, 5);
    byRow.build(new Float32Array(15), 3);
    expect(() => new ColumnIndex(3, 4).build(byRow)).toThrow(RangeError);
  });
});
