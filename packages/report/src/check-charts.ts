import type { TopLevelSpec } from "vega-lite";
import type { CheckJson, CheckQuantity } from "./check-json.ts";

/** The charts of a check report, as Vega-Lite specs with their data inline (rendered by render-svg.ts). */

const BASE = { $schema: "https://vega.github.io/schema/vega-lite/v6.json", width: 560, height: 240, background: "white" } as const;

/**
 * A log scale cannot draw 0 (bit-identical): differences below this are drawn at it, a little under
 * the smallest rounding difference the dtype makes (float32 ε ≈ 1.2e-7, float64 ε ≈ 2.2e-16).
 */
export const DRAWN_FLOOR = { float32: 1e-9, float64: 1e-18 } as const;

/** Powers of ten only: a log axis over a few decades otherwise labels 2e-6 and 3e-6 on top of each other. */
const LOG_AXIS = { format: "~e", tickCount: 5 } as const;

/** Inline data stays short: 4 significant digits draw the same chart. */
const short = (value: number) => Number(value.toPrecision(4));

/** What each quantity's chart measures, in words. */
export const QUANTITY_TITLES: Record<CheckQuantity, string> = {
  loss: "loss",
  intermediate: "intermediates: z, h, dh, dz per layer (worst tensor)",
  gradient: "gradients (worst tensor)",
  output: "outputs (logits)",
  parameter: "parameters after the update (worst tensor)",
};

/** The non-reference backends, in the report's order: one colour each in every chart. */
export function comparedBackends(report: CheckJson): string[] {
  return report.backends.filter((b) => b !== report.reference);
}

/** The points of one quantity's chart; a null max_rel (infinite or NaN) cannot be drawn and is left to the page to name. */
export function stepDifferencePoints(report: CheckJson, quantity: CheckQuantity) {
  const floor = DRAWN_FLOOR[report.dtype];
  return report.per_step.flatMap(({ step, pairs }) =>
    pairs
      .filter((p) => p.quantity === quantity && p.max_rel !== null)
      .map((p) => ({ step, backend: p.backend, tensor: p.tensor, max_rel: short(Math.max(p.max_rel!, floor)) })),
  );
}

/**
 * Per step, each backend's relative difference to the reference for one quantity — one line per
 * pair — against the pair's tolerance (dashed, same colour), on a log scale.
 */
export function stepDifferenceChart(report: CheckJson, quantity: CheckQuantity): TopLevelSpec {
  const backends = comparedBackends(report);
  const tolerances = backends.map((backend) => {
    const pair = report.tolerances[`${backend}~${report.reference}`];
    return { backend, tolerance: pair ? (quantity === "loss" ? pair.loss : quantity === "intermediate" ? (pair.intermediates ?? pair.tensors).rtol : pair.tensors.rtol) : null };
  }).filter((t) => t.tolerance !== null);
  const color = { field: "backend", type: "nominal", title: `vs ${report.reference}`, scale: { domain: backends } } as const;
  return {
    ...BASE,
    title: { text: `${QUANTITY_TITLES[quantity]}: max relative difference per step (log scale)`, subtitle: `dashed: the pair's tolerance; 0 (bit-identical) is drawn at ${DRAWN_FLOOR[report.dtype]}` },
    layer: [
      {
        data: { values: stepDifferencePoints(report, quantity) },
        mark: { type: "line", point: true, strokeWidth: 1.5 },
        encoding: {
          x: { field: "step", type: "quantitative", title: "step", axis: { tickMinStep: 1, format: "d" } },
          y: { field: "max_rel", type: "quantitative", title: "max relative difference", scale: { type: "log" }, axis: LOG_AXIS },
          color,
        },
      },
      {
        data: { values: tolerances },
        mark: { type: "rule", strokeDash: [5, 4], strokeWidth: 1.5 },
        encoding: { y: { field: "tolerance", type: "quantitative" }, color },
      },
    ],
  };
}

/** The finite-difference rows that measured something (an all-kink sample checked nothing). */
export function finiteDifferencePoints(report: CheckJson) {
  const floor = DRAWN_FLOOR[report.dtype];
  return report.numerical
    .filter((row) => row.checked > 0 && row.max_rel_error !== null)
    .map((row) => ({ parameter: row.parameter, backend: row.backend, max_rel_error: short(Math.max(row.max_rel_error!, floor)), tolerance: row.tolerance }));
}

/** Per parameter tensor, each backend's worst relative error against central differences (a dot) and its bound (a tick), log scale. */
export function finiteDifferenceChart(report: CheckJson): TopLevelSpec {
  const parameters = [...new Set(report.numerical.map((row) => row.parameter))];
  const x = { field: "parameter", type: "nominal", title: "parameter", sort: parameters, axis: { labelAngle: 0 } } as const;
  const xOffset = { field: "backend", type: "nominal", sort: report.backends } as const;
  // The compared backends keep their colours from the per-step charts; the reference comes last.
  const color = { field: "backend", type: "nominal", title: null, scale: { domain: [...comparedBackends(report), report.reference] } } as const;
  return {
    ...BASE,
    width: Math.max(320, 110 * parameters.length),
    title: { text: "finite differences: max relative error per parameter (log scale)", subtitle: "dot: the backend's gradient against float64 central differences; tick: its tolerance" },
    data: { values: finiteDifferencePoints(report) },
    encoding: { x, xOffset, color },
    layer: [
      { mark: { type: "point", filled: true, size: 70 }, encoding: { y: { field: "max_rel_error", type: "quantitative", title: "max relative error", scale: { type: "log" }, axis: LOG_AXIS } } },
      { mark: { type: "tick", thickness: 2 }, encoding: { y: { field: "tolerance", type: "quantitative" } } },
    ],
  };
}
