import { displayValue } from "./param-text.ts";
import type { SweepResults } from "./results.ts";

/** results.csv: one row per trial in plan order, a column per swept path and per metric. */
export function resultsCsv(results: SweepResults): string {
  const metrics = ["train_loss", "valid_loss", "valid_accuracy"] as const;
  const head = ["index", "id", "status", "passed", ...results.plan.paths, ...metrics, "objective", "rank", "wall_seconds", "run_dir", "error"];
  const rows = results.trials.map((trial) => [
    trial.index,
    trial.id,
    trial.status,
    trial.passed,
    ...results.plan.paths.map((path) => (path in trial.params ? displayValue(trial.params[path]) : "")),
    ...metrics.map((metric) => trial.metrics[metric]),
    trial.objective,
    trial.rank,
    trial.timings.wall_seconds,
    trial.run_dir,
    trial.error,
  ]);
  return [head, ...rows].map((cells) => cells.map(csvCell).join(",")).join("\n") + "\n";
}

/** RFC 4180: quote a cell holding a comma, quote or line break, doubling its quotes; null is empty. */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return "";
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
