import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { SweepResultsFile, SweepTrial } from "./sweep-results-file.ts";

/** Test helpers: a sweep's results.json built by hand (as docs/sweep.md describes it), without training anything. */

/** Trial `index` with `params`; `objective` null makes it `status` (default diverged). */
export function sweepTrial(index: number, params: Record<string, unknown>, objective: number | null, status: SweepTrial["status"] = objective === null ? "diverged" : "completed"): SweepTrial {
  const id = index.toString(16).padStart(12, "0");
  return {
    index, id, params, status,
    error: status === "completed" ? null : status === "not_run" ? "not run: --fail-fast stopped the sweep" : `${status}: loss NaN at step 3`,
    backend: status === "not_run" ? null : "manual",
    metrics: { valid_accuracy: objective, valid_loss: objective === null ? null : 1 - objective, train_loss: objective === null ? null : 1.1 - objective },
    objective, rank: null, expectations: [], passed: status === "completed",
    run_dir: status === "not_run" ? null : `trials/${id}`,
    timings: { wall_seconds: status === "not_run" ? null : 1.25 },
  };
}

/** Results over `trials`, ranked by valid_accuracy (max) as the sweep ranks them. */
export function sweepResults(paths: string[], trials: SweepTrial[], overrides: Partial<SweepResultsFile> = {}): SweepResultsFile {
  const ranked = trials.filter((t) => t.objective !== null).sort((a, b) => b.objective! - a.objective! || a.index - b.index);
  ranked.forEach((t, i) => (t.rank = i + 1));
  const top = ranked[0];
  const count = (status: SweepTrial["status"]) => trials.filter((t) => t.status === status).length;
  return {
    schema_version: 2, name: "fixture-sweep", config_file: "configs/sweeps/fixture.yaml",
    plan: { hash: "0123456789ab", shape: `${trials.length} trials`, size: trials.length, duplicates: 0, paths },
    shard: null, objective: { metric: "valid_accuracy", goal: "max" },
    best: top ? { index: top.index, id: top.id, value: top.objective! } : null,
    best_expectations: [],
    counts: { trials: trials.length, completed: count("completed"), diverged: count("diverged"), failed: count("failed"), not_run: count("not_run"), passed: trials.filter((t) => t.passed).length },
    passed: trials.every((t) => t.passed),
    trials,
    run: { kind: "sweep", started_at: "2026-12-01T10:00:00.000Z", finished_at: "2026-12-01T10:00:09.000Z", wall_seconds: 9, workers: 2, merged_from: [] },
    ...overrides,
  };
}

/** The 3 × 2 grid optimizer.lr × training.batch_size, with trial 4 diverged: accuracy falls with lr, rises with batch size. */
export function gridResults(): SweepResultsFile {
  const trials: SweepTrial[] = [];
  for (const lr of [0.05, 0.1, 0.5]) {
    for (const batch of [32, 64]) {
      const index = trials.length + 1;
      trials.push(sweepTrial(index, { "optimizer.lr": lr, "training.batch_size": batch }, index === 4 ? null : Number((0.9 - lr / 2 + batch / 1000).toFixed(4))));
    }
  }
  return sweepResults(["optimizer.lr", "training.batch_size"], trials);
}

/** Writes `results` as DIR/results.json in a fresh directory, with report.html in the trial directories listed in `reports`. */
export function sweepDirectory(results: SweepResultsFile, reports: readonly string[] = []): string {
  const dir = join(mkdtempSync(join(tmpdir(), "crossprop-sweep-report-")), "sweep");
  mkdirSync(dir);
  writeFileSync(join(dir, "results.json"), JSON.stringify(results, null, 2));
  for (const id of reports) {
    mkdirSync(join(dir, "trials", id), { recursive: true });
    writeFileSync(join(dir, "trials", id, "report.html"), "<!doctype html>");
  }
  return dir;
}
