import { describe, expect, it } from "vitest";
import { learningRate, type ScheduleSpec } from "./schedule.ts";

const constant: ScheduleSpec = { lr: 0.5, lrScale: "none", type: "constant", milestones: [], gamma: 0.1 };

describe("learningRate", () => {
  it("is constant by default", () => {
    expect([1, 100, 10_000].map((step) => learningRate(constant, step, 256))).toEqual([0.5, 0.5, 0.5]);
  });

  it("multiplies by gamma after each milestone (notebook 002: 0.1/N for 5,000 steps, then 0.01/N)", () => {
    const schedule: ScheduleSpec = { lr: 0.1, lrScale: "per_sample", type: "step", milestones: [5000], gamma: 0.1 };
    expect(learningRate(schedule, 1, 1000)).toBe(0.1 / 1000);
    expect(learningRate(schedule, 5000, 1000)).toBe(0.1 / 1000);
    expect(learningRate(schedule, 5001, 1000)).toBeCloseTo(0.01 / 1000, 18);
    const twice = { ...schedule, lrScale: "none" as const, milestones: [10, 20] };
    expect(learningRate(twice, 25, 1)).toBeCloseTo(0.001, 15);
  });
});
