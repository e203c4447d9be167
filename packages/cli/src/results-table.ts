import Table from "cli-table3";
import type { RunOutcome, TrainResult } from "@crossprop/run";
import type { BackendRun } from "./backend-runs.ts";

const fixed = (digits: number) => (value: number | null | undefined) => (value === null || value === undefined ? "–" : value.toFixed(digits));

/** The final table: one column per backend, one row per figure; a diverged backend shows where it stopped. */
export function resultsTable(runs: readonly BackendRun[]): string {
  const table = new Table({ head: ["", ...runs.map((r) => r.label)], style: { head: [], border: [], compact: true } });
  const last = (r: TrainResult) => r.epochs[r.epochs.length - 1];
  const rows: [string, (r: RunOutcome) => string][] = [
    ["engine", (r) => r.result.engine],
    ["epochs", (r) => String(r.result.epochs.length)],
    ["train_loss", (r) => fixed(4)(last(r.result)?.train_loss)],
    ["valid_loss", (r) => fixed(4)(last(r.result)?.valid_loss)],
    ["valid_accuracy", (r) => fixed(4)(last(r.result)?.valid_accuracy)],
    ["s/epoch (median)", (r) => fixed(2)(r.result.secondsPerEpoch)],
    ["samples/s", (r) => Math.round(r.result.samplesPerSecond).toLocaleString("en-US")],
    ["peak RSS (MB)", (r) => String(Math.round(r.peakRssMb))],
    ["run directory", (r) => r.runDir],
  ];
  for (const [label, cell] of rows) {
    table.push([label, ...runs.map((run) => ("outcome" in run ? cell(run.outcome) : divergedCell(label, run.diverged)))]);
  }
  return table.toString();
}

function divergedCell(row: string, diverged: Extract<BackendRun, { diverged: unknown }>["diverged"]): string {
  if (row === "train_loss") return `diverged at step ${diverged.step}`;
  if (row === "epochs") return String(diverged.epochs);
  if (row === "run directory") return diverged.runDir;
  return "–";
}
