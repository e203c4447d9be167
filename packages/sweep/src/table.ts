import Table from "cli-table3";
import { fitColumns, wrapWords, type FitOptions } from "@crossprop/core";
import { displayValue } from "./param-text.ts";
import type { PlannedTrial, SweepPlan } from "./plan.ts";
import { byRank, type SweepResults } from "./results.ts";

const fixed = (digits: number) => (value: number | null) => (value === null ? "–" : value.toFixed(digits));

/** The results as rows, best first: shared by the terminal table and summary.md. */
export function resultColumns(results: SweepResults): { head: string[]; rows: string[][] } {
  const metrics = ["valid_accuracy", "valid_loss", "train_loss"] as const;
  const head = ["rank", "#", "id", ...results.plan.paths, "status", ...metrics, "expect", "s"];
  const rows = byRank(results).map((trial) => [
    trial.rank === null ? "–" : String(trial.rank),
    String(trial.index),
    trial.id,
    ...results.plan.paths.map((path) => (path in trial.params ? displayValue(trial.params[path]) : "")),
    trial.status,
    ...metrics.map((metric) => fixed(4)(trial.metrics[metric])),
    trial.status !== "completed" ? "–" : trial.passed ? "✓" : "✗",
    fixed(1)(trial.timings.wall_seconds),
  ]);
  return { head, rows };
}

/**
 * The final table on the terminal, sorted by the objective, in at most `width` columns. When it
 * does not fit, rank goes first (the order shows it), then the metrics that are not the objective,
 * then the seconds; a line under the table names what was left out.
 */
export function resultsTable(results: SweepResults, width = 80): string {
  const { head, rows } = resultColumns(results);
  const leaveOut = ["rank", "train_loss", "valid_loss", "valid_accuracy", "s"].filter((name) => name !== results.objective.metric);
  const { text, omitted } = fittedTable(head, rows, width, { optional: leaveOut.map((name) => head.indexOf(name)) });
  if (omitted.length === 0) return text;
  return `${text}\n${wrapWords(`not shown at ${width} columns: ${omitted.join(", ")} (all in results.csv)`, width)}`;
}

/** A compact cli-table3 laid out by core's fitColumns: headers and cells broken into lines, columns left out. */
function fittedTable(head: string[], rows: string[][], width: number, options: FitOptions = {}): { text: string; omitted: string[] } {
  const fit = fitColumns(head, rows, width, options);
  const table = new Table({ head: fit.head, colWidths: fit.widths.map((w) => w + 2), style: { head: [], border: [], compact: true } });
  table.push(...fit.rows);
  return { text: table.toString(), omitted: fit.omitted };
}

/** `--plan`: every trial of the shard, its parameters, and whether it already finished, in at most `width` columns. */
export function planTable(plan: SweepPlan, trials: readonly PlannedTrial[], finished: (trial: PlannedTrial) => boolean, width = 80): string {
  const rows = trials.map((trial) => {
    const values = new Map(trial.params.map((p) => [p.path, displayValue(p.value)]));
    return [String(trial.index), trial.id, ...plan.paths.map((path) => values.get(path) ?? ""), finished(trial) ? "finished" : "to run"];
  });
  return fittedTable(["#", "id", ...plan.paths, "state"], rows, width).text;
}
