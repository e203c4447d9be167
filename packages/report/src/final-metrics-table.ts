import type { FinishedRunSummary } from "@crossprop/run";
import { escapeHtml as e } from "./escape.ts";

/** A column of the side-by-side table: a run's name and its summary.json. */
export interface MetricsColumn {
  name: string;
  summary: FinishedRunSummary;
  /** The step that diverged, when known (comparison.json records it); else the step after the last recorded. */
  divergedAtStep?: number | null;
}

const fixed = (digits: number) => (value: number | null) => (value === null ? "–" : value.toFixed(digits));

/** The rows of comparison.txt (packages/cli/src/results-table.ts), read from each run's summary.json. */
const ROWS: [string, (s: FinishedRunSummary) => string][] = [
  ["engine", (s) => s.engine ?? "–"],
  ["epochs", (s) => String(s.epochs)],
  ["steps", (s) => String(s.steps)],
  ["evaluations", (s) => String(s.evaluations)],
  ["train_loss", (s) => fixed(4)(s.final.train_loss)],
  ["valid_loss", (s) => fixed(4)(s.final.valid_loss)],
  ["valid_accuracy", (s) => fixed(4)(s.final.valid_accuracy)],
  ["s/epoch (median)", (s) => fixed(2)(s.seconds_per_epoch)],
  ["samples/s", (s) => (s.samples_per_second === null ? "–" : Math.round(s.samples_per_second).toLocaleString("en-US"))],
  ["process peak RSS (MB)", (s) => String(s.process_peak_rss_mb)],
];

/** The final metrics of several runs side by side, one column per run, as comparison.txt lays them out. */
export function finalMetricsTable(columns: readonly MetricsColumn[]): string {
  const head = `<tr><th></th>${columns.map((c) => `<th>${e(c.name)}</th>`).join("")}</tr>`;
  const status = `<tr><th>status</th>${columns.map((c) => `<td class="status ${e(c.summary.status)}">${e(statusText(c))}</td>`).join("")}</tr>`;
  const expectations = `<tr><th>expect: met</th>${columns.map((c) => `<td>${e(expectationsText(c.summary))}</td>`).join("")}</tr>`;
  const rows = ROWS.map(([label, cell]) => `<tr><th>${e(label)}</th>${columns.map((c) => `<td class="number">${e(cell(c.summary))}</td>`).join("")}</tr>`);
  return `<table class="final-metrics"><thead>${head}</thead><tbody>${status}${rows.join("")}${expectations}</tbody></table>`;
}

function statusText(column: MetricsColumn): string {
  if (column.summary.status !== "diverged") return column.summary.status;
  return `diverged at step ${column.divergedAtStep ?? column.summary.steps + 1}`;
}

function expectationsText(summary: FinishedRunSummary): string {
  const all = summary.expectations;
  if (all.length === 0) return "none";
  const met = all.filter((x) => x.passed).length;
  return `${met} of ${all.length} ${met === all.length ? "✓" : "✗"}`;
}
