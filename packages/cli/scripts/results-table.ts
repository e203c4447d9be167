/**
 * Prints the README's results table from run directories: one row per config, one column per
 * backend, from each run's summary.json (final valid accuracy, or the parameter expectations of a
 * regression run) — so the table is filled from real runs, never typed in.
 *
 *   npx tsx packages/cli/scripts/results-table.ts RUNS_ROOT
 * where RUNS_ROOT holds <config>-<backend>/ run directories (as `crossprop run --out` writes them).
 */
import { join } from "node:path";
import { BACKEND_NAMES } from "@crossprop/backends";
import { readRunSummary, type RunSummary } from "@crossprop/run";

const root = process.argv[2] ?? "runs";
const backends = BACKEND_NAMES;
const configs = process.argv.slice(3).length > 0 ? process.argv.slice(3) : ["linear", "mlp", "regression", "mlp-deep", "tanh-mse", "tanh-adamw", "xavier-relu", "binary-linear", "binary-mlp", "fashion-mlp"];

function cell(summary: RunSummary | null): string {
  if (!summary) return "not run";
  if (summary.status !== "completed") return summary.status;
  const mark = summary.passed ? "✓" : "✗";
  if (summary.final.valid_accuracy !== null) return `${summary.final.valid_accuracy.toFixed(4)} ${mark}`;
  const worst = Math.max(...summary.expectations.map((e) => e.value ?? Infinity));
  return `max param error ${worst.toFixed(3)} ${mark}`;
}

process.stdout.write(`| config | ${backends.join(" | ")} | steps (evaluations), seed |\n| --- | ${backends.map(() => "---").join(" | ")} | --- |\n`);
for (const config of configs) {
  const summaries = backends.map((backend) => readRunSummary(join(root, `${config}-${backend}`)));
  const first = summaries.find((s) => s !== null);
  const length = first ? `${first.steps} (${first.epochs}), seed ${first.seed}` : "";
  process.stdout.write(`| \`${config}.yaml\` | ${summaries.map(cell).join(" | ")} | ${length} |\n`);
}
