import type { TopLevelSpec } from "vega-lite";
import { short } from "./downsample.ts";
import { perClassAccuracy, type Confusion } from "./confusion.ts";

const BASE = { $schema: "https://vega.github.io/schema/vega-lite/v6.json", background: "white" } as const;

/** The confusion matrix and per-class accuracy as Vega-Lite specs (data inline, rendered by render-svg.ts). */

const CELL = 34;

/**
 * The matrix as a heatmap, true class down, predicted across, each cell's number written in it:
 * counts, or (normalised) the share of the true class's examples, so rare classes read as well as common ones.
 */
export function confusionChart(c: Confusion, classNames: readonly string[], normalised: boolean): TopLevelSpec {
  const values = [];
  for (let t = 0; t < c.classes; t++) {
    for (let q = 0; q < c.classes; q++) {
      const count = c.counts[t * c.classes + q]!;
      values.push({ label: classNames[t], predicted: classNames[q], value: normalised ? short(c.support[t] === 0 ? 0 : count / c.support[t]!) : count });
    }
  }
  const max = normalised ? 1 : Math.max(1, ...c.counts);
  return {
    ...BASE,
    title: normalised ? "confusion matrix, share of each true class" : "confusion matrix, validation examples",
    data: { values },
    width: { step: CELL },
    height: { step: CELL },
    encoding: {
      x: { field: "predicted", type: "ordinal", sort: [...classNames], title: "predicted class", axis: { labelAngle: 0 } },
      y: { field: "label", type: "ordinal", sort: [...classNames], title: "true class" },
    },
    layer: [
      {
        mark: "rect",
        encoding: { color: { field: "value", type: "quantitative", title: normalised ? "share" : "examples", scale: { scheme: "blues", domain: [0, max] }, legend: normalised ? { format: ".0%" } : {} } },
      },
      {
        mark: { type: "text", fontSize: 10 },
        encoding: {
          text: { field: "value", type: "quantitative", format: normalised ? ".0%" : "d" },
          // Dark cells get white numbers, so every number stays legible.
          color: { condition: { test: `datum.value > ${max / 2}`, value: "white" }, value: "black" },
        },
      },
    ],
  };
}

/** Each true class's accuracy as a bar, its value written above it; a class without examples has no bar. */
export function perClassAccuracyChart(c: Confusion, classNames: readonly string[]): TopLevelSpec {
  const values = perClassAccuracy(c).flatMap((accuracy, t) => (accuracy === null ? [] : [{ label: classNames[t], accuracy: short(accuracy), examples: c.support[t] }]));
  return {
    ...BASE,
    title: "accuracy per true class",
    data: { values },
    width: { step: Math.max(CELL, 24) },
    height: 200,
    encoding: {
      x: { field: "label", type: "ordinal", sort: [...classNames], title: "true class", axis: { labelAngle: 0 } },
      y: { field: "accuracy", type: "quantitative", title: "accuracy", scale: { domain: [0, 1] }, axis: { format: ".0%" } },
    },
    layer: [
      { mark: { type: "bar", color: "#4c78a8" } },
      { mark: { type: "text", dy: -6, fontSize: 10 }, encoding: { text: { field: "accuracy", type: "quantitative", format: ".1%" } } },
    ],
  };
}
