import type { TopLevelSpec } from "vega-lite";
import { downsampleMinMax, short } from "./downsample.ts";
import type { EvaluationLine, StepLine } from "./run-files.ts";
import type { StepDifference } from "./step-differences.ts";

/** Charts with one line per run (a comparison's backends, or two runs), as Vega-Lite specs with inline data. */

/** A run as the overlaid charts see it: its name in the legend and its two series. */
export interface NamedRun {
  name: string;
  evaluations: readonly EvaluationLine[];
  steps: readonly StepLine[];
}

/** A run's per-step loss difference from the reference run (the first). */
export interface NamedDifferences {
  name: string;
  differences: readonly StepDifference[];
}

const BASE = { $schema: "https://vega.github.io/schema/vega-lite/v6.json", width: 560, height: 240, background: "white" } as const;

/**
 * Colour and line width by run, in the runs' order. Backends usually agree to many digits, so their
 * lines coincide: each is drawn thinner than the one before, and every run stays visible on top of
 * the others. The difference charts pass the reference first but leave it out of the legend (it
 * draws no line there), so each run keeps its colour across the page.
 */
function byRun(names: readonly string[], shown: readonly string[] = names) {
  const widths = names.map((_, i) => Math.max(1, 4 - (3 * i) / Math.max(1, names.length - 1)));
  const legend = { values: [...shown] };
  return {
    color: { field: "run", type: "nominal", title: null, sort: [...names], scale: { domain: [...names] }, legend },
    strokeWidth: { field: "run", type: "nominal", title: null, sort: [...names], scale: { type: "ordinal", domain: [...names], range: widths }, legend },
  } as const;
}

type EvaluationMetric = "train_loss" | "valid_loss" | "valid_accuracy";

/** One evaluation metric of every run, overlaid (a diverged run's line ends at its last evaluation). */
export function overlaidEvaluationChart(runs: readonly NamedRun[], metric: EvaluationMetric): TopLevelSpec {
  const values = runs.flatMap((run) =>
    run.evaluations.flatMap((e) => {
      const value = e[metric];
      return value !== null && value !== undefined && Number.isFinite(value) ? [{ run: run.name, epoch: e.epoch, value: short(value) }] : [];
    }),
  );
  const accuracy = metric === "valid_accuracy";
  return {
    ...BASE,
    title: `${metric} per evaluation`,
    data: { values },
    mark: { type: "line", point: true },
    encoding: {
      x: { field: "epoch", type: "quantitative", title: "epoch", axis: { format: "~g" } },
      y: { field: "value", type: "quantitative", title: metric, scale: { zero: false }, axis: { format: accuracy ? ".1%" : "~g" } },
      ...byRun(runs.map((r) => r.name)),
    },
  };
}

/** Every run's loss per step, overlaid, each downsampled to its min/max envelope; `log` for a log scale (losses ≤ 0 left out). */
export function overlaidStepLossChart(runs: readonly NamedRun[], log: boolean): TopLevelSpec {
  const values = runs.flatMap((run) => {
    const drawable = run.steps.filter((s): s is StepLine & { loss_per_example: number } => s.loss_per_example !== null && Number.isFinite(s.loss_per_example) && (!log || s.loss_per_example > 0));
    return downsampleMinMax(drawable, (s) => s.loss_per_example).map((s) => ({ run: run.name, step: s.step, loss: short(s.loss_per_example) }));
  });
  return {
    ...BASE,
    title: `loss of every step${log ? " (log scale)" : ""}`,
    data: { values },
    mark: { type: "line" },
    encoding: {
      x: { field: "step", type: "quantitative", title: "step", axis: { tickMinStep: 1, format: "d" } },
      y: { field: "loss", type: "quantitative", title: "loss per example", scale: log ? { type: "log" } : { zero: false }, axis: { format: "~g" } },
      ...byRun(runs.map((r) => r.name)),
    },
  };
}

/** The signed per-step difference of each run from the reference, `run − reference`. */
export function stepDifferenceChart(runs: readonly NamedDifferences[], reference: string): TopLevelSpec {
  const values = runs.flatMap((run) => downsampleMinMax(run.differences, (d) => d.delta).map((d) => ({ run: run.name, step: d.step, delta: short(d.delta) })));
  return {
    ...BASE,
    title: `loss difference per step (run − ${reference})`,
    data: { values },
    mark: { type: "line" },
    encoding: {
      x: { field: "step", type: "quantitative", title: "step", axis: { tickMinStep: 1, format: "d" } },
      y: { field: "delta", type: "quantitative", title: `loss − ${reference}'s loss`, axis: { format: ".1e" } },
      ...byRun([reference, ...runs.map((r) => r.name)], runs.map((r) => r.name)),
    },
  };
}

/** |run − reference| per step on a log scale; identical losses (Δ = 0) are drawn at `floor` (the caption says so). */
export function absStepDifferenceChart(runs: readonly NamedDifferences[], reference: string, floor: number): TopLevelSpec {
  const values = runs.flatMap((run) => {
    const magnitudes = run.differences.map((d) => ({ step: d.step, magnitude: Math.max(Math.abs(d.delta), floor) }));
    return downsampleMinMax(magnitudes, (d) => d.magnitude).map((d) => ({ run: run.name, step: d.step, magnitude: short(d.magnitude) }));
  });
  return {
    ...BASE,
    title: `|loss difference| per step vs ${reference} (log scale)`,
    data: { values },
    mark: { type: "line" },
    encoding: {
      x: { field: "step", type: "quantitative", title: "step", axis: { tickMinStep: 1, format: "d" } },
      y: { field: "magnitude", type: "quantitative", title: `|loss − ${reference}'s loss|`, scale: { type: "log" }, axis: { format: ".0e" } },
      ...byRun([reference, ...runs.map((r) => r.name)], runs.map((r) => r.name)),
    },
  };
}
