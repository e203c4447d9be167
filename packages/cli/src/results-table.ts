import Table from "cli-table3";
import type { RunOutcome, TrainResult } from "@crossprop/run";

const fixed = (digits: number) => (value: number | null | undefined) => (value === null || value === undefined ? "–" : value.toFixed(digits));

/** The final table: one column per backend, one row per figure. */
export function resultsTable(results: readonly RunOutcome[]): string {
  const table = new Table({ head: ["", ...results.map((r) => r.result.backend)], style: { head: [], border: [], compact: true } });
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
  for (const [label, cell] of rows) table.push([label, ...results.map(cell)]);
  return table.toString();
}
