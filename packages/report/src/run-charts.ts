import type { TopLevelSpec } from "vega-lite";
import type { EvaluationLine, StepLine } from "./run-files.ts";
import { downsampleMinMax, MAX_POINTS, short } from "./downsample.ts";
import { emaSmooth, smoothingWeight } from "./smoothing.ts";

/** The charts of one run, as Vega-Lite specs with their data inline (rendered by render-svg.ts). */

const WIDTH = 560;
const HEIGHT = 240;
const BASE = { $schema: "https://vega.github.io/schema/vega-lite/v6.json", width: WIDTH, height: HEIGHT, background: "white" } as const;

/** Train and validation loss per evaluation, one line each. */
export function evaluationLossChart(evaluations: readonly EvaluationLine[]): TopLevelSpec {
  const values = evaluations.flatMap((e) => [
    { epoch: e.epoch, series: "train_loss", loss: finite(e.train_loss) },
    { epoch: e.epoch, series: "valid_loss", loss: finite(e.valid_loss) },
  ]).filter((point) => point.loss !== null);
  return {
    ...BASE,
    title: "loss per evaluation (per example)",
    data: { values },
    mark: { type: "line", point: true },
    encoding: {
      x: { field: "epoch", type: "quantitative", title: "epoch", axis: { format: "~g" } },
      y: { field: "loss", type: "quantitative", title: "loss", scale: { zero: false } },
      color: { field: "series", type: "nominal", title: null, sort: ["train_loss", "valid_loss"] },
    },
  };
}

/** Validation accuracy per evaluation. */
export function accuracyChart(evaluations: readonly EvaluationLine[]): TopLevelSpec {
  const values = evaluations.map((e) => ({ epoch: e.epoch, valid_accuracy: finite(e.valid_accuracy) })).filter((p) => p.valid_accuracy !== null);
  return {
    ...BASE,
    title: "validation accuracy per evaluation",
    data: { values },
    mark: { type: "line", point: true, color: "#54a24b" },
    encoding: {
      x: { field: "epoch", type: "quantitative", title: "epoch", axis: { format: "~g" } },
      y: { field: "valid_accuracy", type: "quantitative", title: "valid_accuracy", scale: { zero: false }, axis: { format: ".1%" } },
    },
  };
}

/**
 * The loss of every step, raw (faint) and smoothed by an EMA; `log` puts the loss on a log scale,
 * where the late, small improvements stay visible (non-positive losses cannot be drawn there and are left out).
 */
export function stepLossChart(steps: readonly StepLine[], log: boolean): TopLevelSpec {
  const weight = smoothingWeight(steps.length);
  const smoothed = emaSmooth(steps.map((s) => s.loss_per_example), weight);
  const drawable = (loss: number | null) => loss !== null && Number.isFinite(loss) && (!log || loss > 0);
  const raw = steps.map((s) => ({ step: s.step, series: "raw", loss: s.loss_per_example })).filter((point) => drawable(point.loss));
  const ema = steps.map((s, i) => ({ step: s.step, series: `EMA ${weight}`, loss: smoothed[i] ?? null })).filter((point) => drawable(point.loss));
  // Smoothed over every step, then each series cut to ≤ 2,000 points keeping each bucket's min and max (a 20-epoch mlp run has 4,660 steps).
  const values = [...downsampleMinMax(raw, (p) => p.loss!), ...downsampleMinMax(ema, (p) => p.loss!)].map((p) => ({ ...p, loss: short(p.loss!) }));
  return {
    ...BASE,
    title: `loss of every step${log ? " (log scale)" : ""}`,
    data: { values },
    mark: { type: "line", strokeWidth: 1.5 },
    encoding: {
      x: { field: "step", type: "quantitative", title: "step", axis: { tickMinStep: 1, format: "d" } },
      y: { field: "loss", type: "quantitative", title: "loss per example", scale: log ? { type: "log" } : { zero: false } },
      color: { field: "series", type: "nominal", title: null, scale: { range: ["#9ecae9", "#1f77b4"] }, sort: ["raw"] },
      opacity: { condition: { test: "datum.series === 'raw'", value: 0.6 }, value: 1 },
    },
  };
}

function finite(value: number | null | undefined): number | null {
  return value !== null && value !== undefined && Number.isFinite(value) ? value : null;
}
