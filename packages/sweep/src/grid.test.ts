import { describe, expect, it } from "vitest";
import { gridPoints, gridSize } from "./grid.ts";
import { describeParams } from "./param-text.ts";

describe("gridPoints", () => {
  it("is the cartesian product, first path slowest and last fastest", () => {
    const points = gridPoints({ "optimizer.lr": [0.1, 0.5], "training.batch_size": [32, 64, 128] });
    expect(points.map(describeParams)).toEqual([
      "optimizer.lr=0.1 training.batch_size=32",
      "optimizer.lr=0.1 training.batch_size=64",
      "optimizer.lr=0.1 training.batch_size=128",
      "optimizer.lr=0.5 training.batch_size=32",
      "optimizer.lr=0.5 training.batch_size=64",
      "optimizer.lr=0.5 training.batch_size=128",
    ]);
  });

  it("keeps list values whole (model.hidden) and strings as strings", () => {
    const points = gridPoints({ backend: ["manual", "tfjs"], "model.hidden": [[], [128, 64]] });
    expect(points).toHaveLength(4);
    expect(points[3]).toEqual([
      { path: "backend", value: "tfjs" },
      { path: "model.hidden", value: [128, 64] },
    ]);
  });

  it("an empty grid is a single point with no parameters", () => {
    expect(gridPoints({})).toEqual([[]]);
  });
});

describe("gridSize", () => {
  it("is the number of points gridPoints makes, computed without making them", () => {
    const grid = { "optimizer.lr": [0.1, 0.5], "training.batch_size": [32, 64, 128] };
    expect(gridSize(grid)).toBe(gridPoints(grid).length);
    expect(gridSize({})).toBe(1);
    const wide = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`p${i}`, Array.from({ length: 10 }, (_, v) => v)]));
    expect(gridSize(wide)).toBe(1e10);
  });
});
