import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** Test fixtures: run and comparison directories as `crossprop run` writes them (docs/run-directory.md), from given series. */

export const HOSTILE = `<script>alert("x")</script>&'`;

export interface FixtureRun {
  backend: string;
  status?: "completed" | "diverged";
  /** loss_per_example of steps 1, 2, …; a diverged run has the steps before the one that diverged. */
  losses: number[];
  /** valid_accuracy per evaluation (one evaluation per 10 steps). */
  accuracies: number[];
  config?: string;
  name?: string;
}

/** Writes a finished run directory at `dir`. */
export function writeRunFixture(dir: string, run: FixtureRun): string {
  mkdirSync(dir, { recursive: true });
  const diverged = run.status === "diverged";
  const last = run.accuracies.length;
  const summary = {
    schema_version: 2, status: run.status ?? "completed", name: run.name ?? HOSTILE, config_file: `/configs/${HOSTILE}.yaml`, backend: run.backend, engine: "wasm", threads: 1, seed: 3,
    epochs: run.losses.length / 10, steps: run.losses.length, evaluations: last,
    final: diverged ? { train_loss: null, valid_loss: null, valid_accuracy: null } : { train_loss: 0.5, valid_loss: 0.6, valid_accuracy: run.accuracies.at(-1) ?? null },
    seconds_per_epoch: diverged ? null : 0.25, samples_per_second: diverged ? null : 12345.6, wall_seconds: 1, process_peak_rss_mb: 150,
    data: { dataset: "mnist", split: "standard", classes: ["0", "1"], train_examples: 300, valid_examples: 100, sha256: "ab".repeat(32) },
    expectations: [{ metric: "valid_accuracy", bound: "min", threshold: 0.5, value: 0.7, passed: true }],
    passed: true, warnings: [], versions: { node: "20.20.2" }, provenance: null,
    ...(diverged ? { error: `diverged: the loss is Infinity at step ${run.losses.length + 1} ${HOSTILE}` } : {}),
  };
  writeFileSync(join(dir, "summary.json"), JSON.stringify(summary));
  writeFileSync(join(dir, "config.resolved.yaml"), run.config ?? `name: '${HOSTILE.replace(/'/g, "''")}'\nbackend: ${run.backend}\noptimizer:\n  type: sgd\n  lr: 0.1\n`);
  const metrics = run.accuracies.map((accuracy, i) => ({ epoch: i + 1, train_loss: 1 / (i + 1), valid_loss: 1.1 / (i + 1), valid_accuracy: accuracy }));
  writeFileSync(join(dir, "metrics.jsonl"), metrics.map((m) => `${JSON.stringify(m)}\n`).join(""));
  const steps = run.losses.map((loss, i) => ({ step: i + 1, epoch: Math.floor(i / 10) + 1, loss_per_example: loss }));
  writeFileSync(join(dir, "steps.jsonl"), steps.map((s) => `${JSON.stringify(s)}\n`).join(""));
  return dir;
}

/** A comparison directory holding comparison.json and one run directory per backend, in order. */
export function writeComparisonFixture(runs: readonly (FixtureRun & { label?: string })[]): string {
  const dir = join(mkdtempSync(join(tmpdir(), "crossprop-comparison-")), "compare");
  const entries = runs.map((run) => {
    const runDir = writeRunFixture(join(dir, run.backend), run);
    const label = run.label ?? run.backend;
    return run.status === "diverged"
      ? { backend: label, status: "diverged", diverged_at_step: run.losses.length + 1, error: `diverged at ${HOSTILE}`, run_dir: runDir }
      : { backend: label, status: "completed", run_dir: runDir, engine: "wasm", final: {}, warnings: [] };
  });
  writeFileSync(join(dir, "comparison.json"), JSON.stringify(entries));
  return dir;
}

/** The lines drawn in the chart `<figure id=…>` of `html`: each line's run (from its aria-label) and its number of vertices. */
export function lineMarks(html: string, id: string): { run: string; vertices: number }[] {
  const figure = new RegExp(`<figure class="chart" id="${id}"><svg[^>]*>([\\s\\S]*?)</svg>`).exec(html);
  if (!figure) throw new Error(`no chart ${id}`);
  return [...figure[1]!.matchAll(/<path aria-label="[^"]*; run: ([^"]*)" role="graphics-symbol" aria-roledescription="line mark" d="([^"]*)"/g)].map((m) => ({
    run: m[1]!,
    vertices: (m[2]!.match(/[ML]/g) ?? []).length,
  }));
}
