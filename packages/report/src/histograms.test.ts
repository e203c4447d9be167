import { describe, expect, it } from "vitest";
import { finiteRange, histogram, histogramChart } from "./histograms.ts";
import { renderSvg } from "./render-svg.ts";
import { markCount } from "./svg-marks.fixture.ts";

describe("histogram", () => {
  it("counts every finite value exactly once, the maximum in the last bin", () => {
    const values = Float32Array.from({ length: 10_001 }, (_, i) => Math.sin(i * 0.7) * 3 + (i % 11) / 10);
    const h = histogram(values, finiteRange(values), 40);
    expect(h.counts).toHaveLength(40);
    expect(h.counts.reduce((a, b) => a + b)).toBe(10_001);
    expect(h.nonFinite).toBe(0);
    // Recount bin 7 by hand from its edges.
    const width = (h.hi - h.lo) / 40;
    const inBin7 = values.filter((v) => v >= h.lo + 7 * width && v < h.lo + 8 * width).length;
    expect(h.counts[7]).toBe(inBin7);
  });

  it("puts values beyond the given range into the end bins and leaves out NaN and ±Infinity, counted apart", () => {
    const h = histogram(Float64Array.of(-5, 0, 0.5, 1, 9, NaN, Infinity, -Infinity), [0, 1], 2);
    expect(h.counts).toEqual([2, 3]);
    expect(h.nonFinite).toBe(3);
    expect(finiteRange(Float64Array.of(NaN, 2, -Infinity, -1))).toEqual([-1, 2]);
    expect(finiteRange(Float64Array.of(NaN))).toEqual([0, 0]);
  });

  it("gives a constant tensor (zero biases) one bin around its value", () => {
    const h = histogram(new Float32Array(5), [0, 0], 4);
    expect(h.counts.reduce((a, b) => a + b)).toBe(5);
    expect(h.lo).toBeLessThan(0);
    expect(h.hi).toBeGreaterThan(0);
  });
});

describe("histogramChart", () => {
  const start = histogram(Float64Array.of(0, 1, 1, 2), [0, 2], 4);
  const end = histogram(Float64Array.of(0.001, 0.002), [0.001, 0.002], 4);

  it("draws a bar per bin and series, overlaid on shared bins or in one panel each", async () => {
    const overlaid = await renderSvg(histogramChart("w", [{ name: "start", histogram: start }, { name: "end", histogram: start }], true));
    expect(markCount(overlaid, "bar")).toBe(8);
    const panels = await renderSvg(histogramChart("g", [{ name: "start", histogram: start }, { name: "end", histogram: end }], false));
    expect(markCount(panels, "bar")).toBe(8);
    expect(panels).toMatch(/aria-label="value: 1 – 1\.5; values: 2; series: start"/);
    expect(panels).toMatch(/aria-label="value: 0\.00175 – 0\.002; values: 1; series: end"/);
  });
});
