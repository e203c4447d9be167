import Table from "cli-table3";
import { fitColumns } from "@crossprop/core";
import type { RunOutcome, TrainResult } from "@crossprop/run";
import type { BackendRun } from "./backend-runs.ts";
import { DEFAULT_WIDTH, wrapLine } from "./terminal.ts";

const fixed = (digits: number) => (value: number | null | undefined) => (value === null || value === undefined ? "–" : value.toFixed(digits));

/** 20, or 0.13 when training by steps stopped inside an epoch. */
const passes = (result: TrainResult) => String(Number((result.stepLosses.length / result.stepsPerEpoch).toFixed(2)));

/** Each figure named for what it measures; losses are per example (metrics.jsonl's train_loss and valid_loss). */
const ROWS: [string, (r: RunOutcome) => string][] = [
  ["engine", (r) => r.result.engine],
  ["epochs", (r) => passes(r.result)],
  ["steps", (r) => String(r.result.stepLosses.length)],
  ["evaluations", (r) => String(r.result.epochs.length)],
  ["train_loss", (r) => fixed(4)(r.result.epochs.at(-1)?.train_loss)],
  ["valid_loss", (r) => fixed(4)(r.result.epochs.at(-1)?.valid_loss)],
  ["valid_accuracy", (r) => fixed(4)(r.result.epochs.at(-1)?.valid_accuracy)],
  ["s/epoch (median)", (r) => fixed(2)(r.result.secondsPerEpoch)],
  ["samples/s", (r) => Math.round(r.result.samplesPerSecond).toLocaleString("en-US")],
  ["process peak RSS (MB)", (r) => String(Math.round(r.peakRssMb))],
];

/**
 * The final table: one column per backend, one row per figure; a diverged backend shows where it
 * stopped. Fits `width` columns: backends that do not fit beside each other go into a second
 * table below; run directories (long) are listed under the tables, not in them (a path is never
 * broken, so that it can be copied).
 */
export function resultsTable(runs: readonly BackendRun[], width = DEFAULT_WIDTH): string {
  const cells = (run: BackendRun) => ROWS.map(([label, cell]) => ("outcome" in run ? cell(run.outcome) : divergedCell(label, run.diverged)));
  const columns = runs.map(cells);
  const blocks = blocksFitting(runs, columns, width);
  const parts = blocks.map(({ first, count }) => draw(["", ...runs.slice(first, first + count).map((r) => r.label)], ROWS.map(([label], row) => [label, ...columns.slice(first, first + count).map((c) => c[row]!)]), width));
  const dirs = runs.map((run) => ("outcome" in run ? run.outcome.runDir : run.diverged.runDir));
  if (runs.length === 1) parts.push(`run directory: ${dirs[0]}`);
  else {
    const pad = Math.max(...runs.map((r) => r.label.length));
    parts.push(["run directories:", ...runs.map((run, i) => `  ${run.label.padEnd(pad)}  ${dirs[i]}`)].join("\n"));
    parts.push(wrapLine("process peak RSS: the crossprop process's peak when that backend had finished (it includes the backends before it)", width));
  }
  return parts.join("\n");
}

/** Runs of backends shown side by side: as many as fit `width` without wrapping a cell, at least one. */
function blocksFitting(runs: readonly BackendRun[], columns: string[][], width: number): { first: number; count: number }[] {
  const labels = ROWS.map(([label]) => label);
  const fits = (first: number, count: number) => {
    const head = ["", ...runs.slice(first, first + count).map((r) => r.label)];
    const rows = labels.map((label, row) => [label, ...columns.slice(first, first + count).map((c) => c[row]!)]);
    return !fitColumns(head, rows, width).wrapped;
  };
  const blocks: { first: number; count: number }[] = [];
  for (let first = 0; first < runs.length; ) {
    let count = runs.length - first;
    while (count > 1 && !fits(first, count)) count--;
    blocks.push({ first, count });
    first += count;
  }
  return blocks;
}

function draw(head: string[], rows: string[][], width: number): string {
  const fit = fitColumns(head, rows, width);
  const table = new Table({ head: fit.head, colWidths: fit.widths.map((w) => w + 2), style: { head: [], border: [], compact: true } });
  table.push(...fit.rows);
  return table.toString();
}

function divergedCell(row: string, diverged: Extract<BackendRun, { diverged: unknown }>["diverged"]): string {
  if (row === "train_loss") return `diverged at step ${diverged.step}`;
  if (row === "steps") return String(diverged.step - 1);
  if (row === "evaluations") return String(diverged.evaluations);
  return "–";
}
