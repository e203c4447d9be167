import { describe, expect, it } from "vitest";
import { MAX_POINTS } from "./downsample.ts";
import { stepLossChart } from "./run-charts.ts";
import type { StepLine } from "./run-files.ts";

type Point = { step: number; series: string; loss: number };

describe("stepLossChart", () => {
  // 10,000 steps of a decaying, saw-toothed loss with one spike at step 6,001.
  const steps: StepLine[] = Array.from({ length: 10_000 }, (_, i) => ({ step: i + 1, epoch: 1 + Math.floor(i / 1000), loss_per_example: i === 6000 ? 9 : 2 * Math.exp(-i / 2000) + (i % 7) / 100 }));
  const points = (stepLossChart(steps, false) as unknown as { data: { values: Point[] } }).data.values;
  const raw = points.filter((p) => p.series === "raw");

  it("draws at most ~2,000 points per series however many steps, the first and last kept", () => {
    expect(raw.length).toBeLessThanOrEqual(MAX_POINTS);
    expect(points.length - raw.length).toBeLessThanOrEqual(MAX_POINTS);
    expect(raw[0]!.step).toBe(1);
    expect(raw.at(-1)!.step).toBe(10_000);
  });

  it("keeps the raw series' extremes: the spike and the lowest loss survive", () => {
    expect(raw.find((p) => p.step === 6001)?.loss).toBe(9);
    const lowest = Math.min(...steps.map((s) => s.loss_per_example!));
    expect(Math.min(...raw.map((p) => p.loss))).toBeCloseTo(lowest, 3);
  });

  it("leaves a short run's steps as they are", () => {
    const few = (stepLossChart(steps.slice(0, 30), true) as unknown as { data: { values: Point[] } }).data.values;
    expect(few.filter((p) => p.series === "raw").map((p) => p.step)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
  });
});
