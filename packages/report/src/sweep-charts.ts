import type { TopLevelSpec } from "vega-lite";
import type { SweepResultsFile, SweepTrial } from "./sweep-results-file.ts";

/** The charts of a sweep's results.html, as Vega-Lite specs with their data inline (rendered by render-svg.ts). */

const BASE = { $schema: "https://vega.github.io/schema/vega-lite/v6.json", background: "white" } as const;
const DOT = "#4c78a8";
const BEST = "#e45756";
const GREY = "#888";

/** A swept value as tables and axes show it: `manual`, `0.05`, `[128,64]` (as the sweep's tables do). */
export function paramText(value: unknown): string {
  if (typeof value === "string") return value;
  if (typeof value === "number" && !Number.isFinite(value)) return String(value);
  return JSON.stringify(value) ?? String(value);
}

/** 4 significant digits: inline data and cell labels stay short. */
export function fourDigits(value: number): string {
  return value.toPrecision(4);
}

const statusText = (trial: SweepTrial) => (trial.status === "not_run" ? "not run" : trial.status);
const isBest = (results: SweepResultsFile, trial: SweepTrial) => results.best?.index === trial.index;
const objectiveTitle = (results: SweepResultsFile) => `${results.objective.metric} (${results.objective.goal === "max" ? "higher" : "lower"} is better)`;

/**
 * The objective of every trial in plan order, the best as a larger red diamond labelled "best";
 * a trial without one (diverged, failed, not run) is its status written at the bottom. Null when no trial has an objective.
 */
export function objectiveChart(results: SweepResultsFile): TopLevelSpec | null {
  if (!results.trials.some((t) => t.objective !== null)) return null;
  const values = results.trials.map((t) => ({
    trial: `#${t.index}`,
    objective: t.objective === null ? null : Number(fourDigits(t.objective)),
    status: statusText(t),
    best: isBest(results, t),
  }));
  const height = 240;
  const x = { field: "trial", type: "nominal", title: "trial (plan order)", sort: values.map((v) => v.trial), axis: { labelAngle: 0, labelOverlap: true } } as const;
  return {
    ...BASE,
    title: `${results.objective.metric} per trial`,
    width: Math.min(1100, Math.max(320, 28 * values.length)),
    height,
    data: { values },
    layer: [
      {
        transform: [{ filter: "datum.objective !== null" }],
        mark: { type: "point", filled: true, opacity: 1 },
        encoding: {
          x,
          y: { field: "objective", type: "quantitative", title: objectiveTitle(results), scale: { zero: false, padding: 12 } },
          color: { condition: { test: "datum.best", value: BEST }, value: DOT },
          shape: { condition: { test: "datum.best", value: "diamond" }, value: "circle" },
          size: { condition: { test: "datum.best", value: 220 }, value: 70 },
        },
      },
      {
        transform: [{ filter: "datum.best" }],
        mark: { type: "text", dy: -14, fontWeight: "bold", color: BEST },
        encoding: { x, y: { field: "objective", type: "quantitative" }, text: { value: "best" } },
      },
      {
        transform: [{ filter: "datum.objective === null" }],
        mark: { type: "text", angle: 270, align: "left", baseline: "middle", color: GREY, fontStyle: "italic" },
        encoding: { x, y: { value: height - 4 }, text: { field: "status" } },
      },
    ],
  };
}

/** The grid's two paths, when the trials form (most of) a grid over exactly two of them: each pair once. */
export function heatmapAxes(results: SweepResultsFile): { rows: string[]; columns: string[] } | null {
  const [rowPath, columnPath, ...more] = results.plan.paths;
  if (rowPath === undefined || columnPath === undefined || more.length > 0) return null;
  const rows = new Set<string>();
  const columns = new Set<string>();
  const cells = new Set<string>();
  for (const trial of results.trials) {
    if (!(rowPath in trial.params) || !(columnPath in trial.params)) return null;
    const row = paramText(trial.params[rowPath]);
    const column = paramText(trial.params[columnPath]);
    const cell = JSON.stringify([row, column]);
    if (cells.has(cell)) return null;
    cells.add(cell);
    rows.add(row);
    columns.add(column);
  }
  // Random draws give every trial its own row and column: a diagonal, not a grid; panels show those better.
  if (cells.size === 0 || cells.size * 2 < rows.size * columns.size) return null;
  return { rows: [...rows], columns: [...columns] };
}

/**
 * A two-parameter grid as a heatmap: rows the first swept path, columns the second (in the grid's
 * order), each cell coloured by the objective (the bright end is the better one) and labelled
 * with it (or the trial's status, on grey); the best cell outlined in red. Null unless heatmapAxes finds a grid.
 */
export function gridHeatmap(results: SweepResultsFile): TopLevelSpec | null {
  const axes = heatmapAxes(results);
  if (!axes) return null;
  const [rowPath, columnPath] = results.plan.paths as [string, string];
  const values = results.trials.map((t) => ({
    row: paramText(t.params[rowPath]),
    column: paramText(t.params[columnPath]),
    objective: t.objective === null ? null : Number(fourDigits(t.objective)),
    label: t.objective === null ? statusText(t) : fourDigits(t.objective),
    best: isBest(results, t),
  }));
  const objectives = values.flatMap((v) => (v.objective === null ? [] : [v.objective]));
  const middle = objectives.length === 0 ? 0 : (Math.min(...objectives) + Math.max(...objectives)) / 2;
  const max = results.objective.goal === "max";
  const encoding = {
    x: { field: "column", type: "ordinal", title: columnPath, sort: axes.columns, axis: { labelAngle: 0 } },
    y: { field: "row", type: "ordinal", title: rowPath, sort: axes.rows },
  } as const;
  return {
    ...BASE,
    title: `${results.objective.metric}: ${rowPath} × ${columnPath}`,
    width: Math.min(1100, 80 * axes.columns.length),
    height: Math.min(900, 40 * axes.rows.length),
    data: { values },
    encoding,
    layer: [
      {
        transform: [{ filter: "datum.objective !== null" }],
        mark: { type: "rect" },
        // viridis runs dark → bright; reversed for a loss, so the better end is bright either way.
        encoding: { color: { field: "objective", type: "quantitative", title: results.objective.metric, scale: { scheme: "viridis", reverse: !max } } },
      },
      { transform: [{ filter: "datum.objective === null" }], mark: { type: "rect", color: "#e6e6e6" } },
      { transform: [{ filter: "datum.best" }], mark: { type: "rect", filled: false, stroke: BEST, strokeWidth: 3 } },
      {
        mark: { type: "text", fontSize: 12 },
        encoding: {
          text: { field: "label" },
          // Dark text on the bright (better) half of the scale, white on the dark half, grey on a cell without an objective.
          color: {
            condition: [
              { test: "datum.objective === null", value: "#555" },
              { test: `datum.objective ${max ? ">=" : "<="} ${middle}`, value: "black" },
            ],
            value: "white",
          },
        },
      },
    ],
  };
}

/**
 * The objective against one swept path's values, one point per trial with an objective, the best
 * in red: numbers on a linear axis (logarithmic when positive and spanning 20× or more), anything
 * else (strings, lists) as categories in the order they first appear.
 */
export function parameterPanel(results: SweepResultsFile, path: string): TopLevelSpec {
  const trials = results.trials.filter((t) => t.objective !== null && path in t.params);
  const numeric = trials.every((t) => typeof t.params[path] === "number" && Number.isFinite(t.params[path]));
  // The scale is chosen from every trial's value, drawn or not, so a diverged large lr still counts.
  const numbers = numeric ? results.trials.flatMap((t) => (typeof t.params[path] === "number" ? [t.params[path]] : [])) : [];
  const log = numeric && numbers.length > 0 && Math.min(...numbers) > 0 && Math.max(...numbers) / Math.min(...numbers) >= 20;
  const values = trials.map((t) => ({ value: numeric ? t.params[path] : paramText(t.params[path]), objective: Number(fourDigits(t.objective!)), best: isBest(results, t) }));
  // The best last, so it is drawn over any point at the same place.
  values.sort((a, b) => Number(a.best) - Number(b.best));
  const x = numeric
    ? { field: "value", type: "quantitative", title: path, scale: log ? { type: "log" } : { zero: false, padding: 12 } }
    : { field: "value", type: "ordinal", title: path, sort: [...new Set(trials.map((t) => paramText(t.params[path])))], axis: { labelAngle: 0 } };
  return {
    ...BASE,
    title: `${results.objective.metric} against ${path}`,
    width: 320,
    height: 200,
    data: { values },
    mark: { type: "point", filled: true, opacity: 0.85 },
    encoding: {
      x,
      y: { field: "objective", type: "quantitative", title: results.objective.metric, scale: { zero: false, padding: 12 } },
      color: { condition: { test: "datum.best", value: BEST }, value: DOT },
      shape: { condition: { test: "datum.best", value: "diamond" }, value: "circle" },
      size: { condition: { test: "datum.best", value: 200 }, value: 60 },
    },
  } as TopLevelSpec;
}
