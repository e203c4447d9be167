import { describe, expect, it } from "vitest";
import { downsampleMinMax, short } from "./downsample.ts";

/** A deterministic, jagged series: a decay with a spike every 97 steps and a dip every 89. */
function jagged(length: number): { step: number; loss: number }[] {
  return Array.from({ length }, (_, i) => ({ step: i + 1, loss: 2 * Math.exp(-i / 3000) + (i % 97 === 0 ? 1 : 0) - (i % 89 === 0 ? 0.5 : 0) + 0.01 * ((i * 7919) % 13) }));
}

describe("downsampleMinMax", () => {
  it("returns a series of at most maxPoints unchanged (a copy)", () => {
    const series = jagged(2000);
    const kept = downsampleMinMax(series, (p) => p.loss);
    expect(kept).toEqual(series);
    expect(kept).not.toBe(series);
  });

  it("keeps at most maxPoints, in step order, with the first and last points", () => {
    const series = jagged(9380); // a 20-epoch configs/mlp.yaml run's steps
    const kept = downsampleMinMax(series, (p) => p.loss, 2000);
    expect(kept.length).toBeLessThanOrEqual(2000);
    expect(kept.length).toBeGreaterThan(1900);
    expect(kept[0]).toBe(series[0]);
    expect(kept.at(-1)).toBe(series.at(-1));
    for (let i = 1; i < kept.length; i++) expect(kept[i]!.step).toBeGreaterThan(kept[i - 1]!.step);
  });

  it("keeps every spike and dip: each bucket's extremes survive, so the envelope is the raw series'", () => {
    const series = jagged(9380);
    const kept = new Set(downsampleMinMax(series, (p) => p.loss, 2000));
    // Every spike (i % 97 == 0) is the highest point of its ~4.7-step bucket.
    const spikes = series.filter((_, i) => i % 97 === 0 && i % 89 !== 0 && i > 0 && i < series.length - 1);
    for (const spike of spikes) expect(kept.has(spike), `step ${spike.step}`).toBe(true);
    const lowest = series.reduce((a, b) => (b.loss < a.loss ? b : a));
    const highest = series.reduce((a, b) => (b.loss > a.loss ? b : a));
    expect(kept.has(lowest) && kept.has(highest)).toBe(true);
  });
});

describe("short", () => {
  it("keeps 4 significant digits and leaves non-finite values alone", () => {
    expect(short(2.635290009876)).toBe(2.635);
    expect(short(1.2345678e-9)).toBe(1.235e-9);
    expect(short(-0.000123456)).toBe(-0.0001235);
    expect(short(Infinity)).toBe(Infinity);
  });
});
