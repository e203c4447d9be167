import { Rng } from "@crossprop/core";
import { describe, expect, it } from "vitest";
import { draw, randomPoints, type RandomSection } from "./random.ts";

const section: RandomSection = {
  trials: 200,
  seed: 7,
  params: {
    "optimizer.lr": { type: "log_uniform", low: 1e-3, high: 1 },
    "optimizer.momentum": { type: "uniform", low: 0.5, high: 0.99 },
    "training.batch_size": { type: "int", low: 16, high: 20 },
    "model.hidden": { type: "choice", values: [[], [64], [128, 64]] },
  },
};

describe("randomPoints", () => {
  it("draws `trials` points, each with every parameter in the order written", () => {
    const points = randomPoints(section);
    expect(points).toHaveLength(200);
    for (const point of points) expect(point.map((p) => p.path)).toEqual(Object.keys(section.params));
  });

  it("is reproducible from the seed, and another seed gives another plan", () => {
    expect(randomPoints(section)).toEqual(randomPoints(section));
    expect(randomPoints({ ...section, seed: 8 })).not.toEqual(randomPoints(section));
  });

  it("keeps every draw in its range: log_uniform spread over decades, int with both ends", () => {
    const columns = (path: string) => randomPoints(section).map((point) => point.find((p) => p.path === path)!.value);
    const lrs = columns("optimizer.lr") as number[];
    expect(Math.min(...lrs)).toBeGreaterThanOrEqual(1e-3);
    expect(Math.max(...lrs)).toBeLessThan(1);
    // Each of the three decades holds about a third of 200 draws; 40 is far below that by chance.
    for (const [low, high] of [[1e-3, 1e-2], [1e-2, 1e-1], [1e-1, 1]]) expect(lrs.filter((lr) => lr >= low! && lr < high!).length).toBeGreaterThan(40);
    const momenta = columns("optimizer.momentum") as number[];
    expect(Math.min(...momenta)).toBeGreaterThanOrEqual(0.5);
    expect(Math.max(...momenta)).toBeLessThan(0.99);
    const sizes = columns("training.batch_size") as number[];
    expect(new Set(sizes)).toEqual(new Set([16, 17, 18, 19, 20]));
    expect(new Set(columns("model.hidden").map((h) => JSON.stringify(h)))).toEqual(new Set(["[]", "[64]", "[128,64]"]));
  });

  it("adding a parameter does not change the values drawn for the others", () => {
    const fewer = { ...section, params: { "optimizer.lr": section.params["optimizer.lr"]! } };
    const lr = (points: ReturnType<typeof randomPoints>) => points.map((point) => point.find((p) => p.path === "optimizer.lr")!.value);
    expect(lr(randomPoints(fewer))).toEqual(lr(randomPoints(section)));
  });
});

describe("draw", () => {
  it("int with low = high always gives that value", () => {
    const rng = new Rng(0, "t");
    for (let i = 0; i < 10; i++) expect(draw({ type: "int", low: 3, high: 3 }, rng)).toBe(3);
  });
});
