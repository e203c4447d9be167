import Table from "cli-table3";
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

/** The final table on the terminal, sorted by the objective. */
export function resultsTable(results: SweepResults): string {
  const { head, rows } = resultColumns(results);
  const table = new Table({ head, style: { head: [], border: [], compact: true } });
  table.push(...rows);
  return table.toString();
}

/** `--plan`: every trial of the shard, its parameters, and whether it already finished. */
export function planTable(plan: SweepPlan, trials: readonly PlannedTrial[], finished: (trial: PlannedTrial) => boolean): string {
  const table = new Table({ head: ["#", "id", ...plan.paths, "state"], style: { head: [], border: [], compact: true } });
  for (const trial of trials) {
    const values = new Map(trial.params.map((p) => [p.path, displayValue(p.value)]));
    table.push([String(trial.index), trial.id, ...plan.paths.map((path) => values.get(path) ?? ""), finished(trial) ? "finished" : "to run"]);
  }
  return table.toString();
}
