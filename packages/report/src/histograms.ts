import type { TopLevelSpec } from "vega-lite";
import { short } from "./downsample.ts";

const BASE = { $schema: "https://vega.github.io/schema/vega-lite/v6.json", background: "white" } as const;

/**
 * Histograms of a tensor's values, binned here rather than in Vega-Lite: a 784×256 layer is 200k
 * numbers, far too many to inline in the page, while its 40 bins are a few hundred bytes.
 */

export const BINS = 40;

export interface Histogram {
  /** Bin i covers [lo + i·width, lo + (i+1)·width); the last bin includes hi. */
  lo: number;
  hi: number;
  counts: number[];
  /** NaN and ±Infinity, which no bin holds (a diverged run). */
  nonFinite: number;
}

/** The range of the finite values, [0, 0] when none is finite. */
export function finiteRange(values: ArrayLike<number>): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return lo <= hi ? [lo, hi] : [0, 0];
}

/** `values` counted into `bins` equal bins over [lo, hi]; every finite value in the range lands in exactly one. */
export function histogram(values: ArrayLike<number>, [lo, hi]: readonly [number, number], bins = BINS): Histogram {
  const counts = new Array<number>(bins).fill(0);
  // A constant tensor (e.g. zero-initialised biases) gets one bin around its value.
  const width = hi > lo ? (hi - lo) / bins : 1;
  const from = hi > lo ? lo : lo - width / 2;
  let nonFinite = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) {
      nonFinite++;
      continue;
    }
    const bin = Math.floor((v - from) / width);
    counts[Math.max(0, Math.min(bins - 1, bin))]!++;
  }
  return { lo: from, hi: hi > lo ? hi : from + width * bins, counts, nonFinite };
}

export interface HistogramSeries {
  /** e.g. "start", "end" */
  name: string;
  histogram: Histogram;
}

/**
 * Binned bars per series. `shared`: the series share their bins and are overlaid (the weights,
 * whose range changes little); otherwise one panel each with its own x scale and a symlog count
 * axis (the gradients, whose scale at the end can be orders of magnitude below the start's).
 */
export function histogramChart(title: string, series: readonly HistogramSeries[], shared: boolean): TopLevelSpec {
  const values = series.flatMap(({ name, histogram: h }) => {
    const width = (h.hi - h.lo) / h.counts.length;
    return h.counts.map((count, i) => ({ series: name, bin_start: short(h.lo + i * width), bin_end: short(h.lo + (i + 1) * width), count }));
  });
  const names = series.map((s) => s.name);
  const layer = {
    mark: { type: "bar", opacity: shared ? 0.55 : 0.85, binSpacing: 0 },
    encoding: {
      x: { field: "bin_start", type: "quantitative", bin: "binned", title: "value", axis: { format: "~g" } },
      x2: { field: "bin_end" },
      // Gradients pile up near 0 with long tails: a symlog count axis keeps bins of a few values visible.
      y: { field: "count", type: "quantitative", title: "values", stack: null, ...(shared ? {} : { scale: { type: "symlog" } }) },
      color: { field: "series", type: "nominal", title: null, sort: names, scale: { domain: names, range: ["#4c78a8", "#f58518"] } },
    },
  } as const;
  const base = { ...BASE, title, data: { values } } as const;
  if (shared) return { ...base, width: 300, height: 160, ...layer } as TopLevelSpec;
  // Panels side by side by hconcat, not facet: vega renders the facet's nested data flow ~2.5× slower.
  return {
    ...base,
    hconcat: names.map((name) => ({ title: name, width: 220, height: 160, transform: [{ filter: { field: "series", equal: name } }], ...layer })),
    resolve: { scale: { x: "independent", y: "independent" } },
  } as TopLevelSpec;
}
