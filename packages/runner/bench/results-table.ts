/**
 * Prints the README's results table from run directories: one row per config, one column per
 * backend, from each run's summary.json (final valid accuracy, or the parameter expectations of a
 * regression run) — so the table is filled from real runs, never typed in.
 *
 *   npx tsx packages/runner/bench/results-table.ts RUNS_ROOT
 * where RUNS_ROOT holds <config>-<backend>/ run directories (as `crossprop run --out` writes them).
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

const root = process.argv[2] ?? "runs";
const backends = ["manual", "autograd", "tfjs"];
const configs = process.argv.slice(3).length > 0 ? process.argv.slice(3) : ["linear", "mlp", "regression", "mlp-deep", "tanh-mse", "tanh-adamw", "xavier-relu", "binary-linear", "binary-mlp", "fashion-mlp"];

interface Summary {
  status: string;
  passed: boolean;
  epochs: number;
  steps: number;
  seed: number;
  final: { valid_accuracy: number | null; valid_loss: number | null };
  expectations: { metric: string; value: number | null; passed: boolean }[];
}

function cell(summary: Summary | null): string {
  if (!summary) return "not run";
  if (summary.status !== "completed") return summary.status;
  const mark = summary.passed ? "✓" : "✗";
  if (summary.final.valid_accuracy !== null) return `${summary.final.valid_accuracy.toFixed(4)} ${mark}`;
  const worst = Math.max(...summary.expectations.map((e) => e.value ?? Infinity));
  return `max param error ${worst.toFixed(3)} ${mark}`;
}

process.stdout.write(`| config | ${backends.join(" | ")} | steps (evaluations), seed |\n| --- | ${backends.map(() => "---").join(" | ")} | --- |\n`);
for (const config of configs) {
  const summaries = backends.map((backend) => {
    const file = join(root, `${config}-${backend}`, "summary.json");
    return existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as Summary) : null;
  });
  const first = summaries.find((s) => s !== null);
  const length = first ? `${first.steps} (${first.epochs}), seed ${first.seed}` : "";
  process.stdout.write(`| \`${config}.yaml\` | ${summaries.map(cell).join(" | ")} | ${length} |\n`);
}
