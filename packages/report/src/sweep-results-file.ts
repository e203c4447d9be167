import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { UserError } from "@crossprop/core";
import type { ExpectationResult, Provenance } from "@crossprop/run";

/**
 * A sweep directory's results.json as the sweep page reads it (docs/sweep.md; the schema is
 * packages/sweep/schema/sweep-results.schema.json — sweep sits above report, so its types are not imported).
 */
export interface SweepResultsFile {
  schema_version: number;
  name: string;
  config_file: string;
  plan: { hash: string; shape: string; size: number; duplicates: number; paths: string[] };
  shard: { index: number; count: number } | null;
  objective: { metric: "valid_accuracy" | "valid_loss" | "train_loss"; goal: "max" | "min" };
  best: { index: number; id: string; value: number } | null;
  best_expectations: ExpectationResult[];
  counts: { trials: number; completed: number; diverged: number; failed: number; not_run: number; passed: number };
  passed: boolean;
  /** In plan order. */
  trials: SweepTrial[];
  run: { kind: "sweep" | "merge"; started_at: string; finished_at: string; wall_seconds: number; workers: number | null; merged_from: string[]; provenance?: Provenance };
}

/** One trial's line of results.json. */
export interface SweepTrial {
  index: number;
  id: string;
  params: Record<string, unknown>;
  status: "completed" | "diverged" | "failed" | "not_run";
  error: string | null;
  backend: string | null;
  metrics: { train_loss: number | null; valid_loss: number | null; valid_accuracy: number | null };
  objective: number | null;
  rank: number | null;
  expectations: ExpectationResult[];
  passed: boolean;
  run_dir: string | null;
  timings: { wall_seconds: number | null };
}

/** Far above any real sweep's results.json (a 10,000-trial one is about 15 MB). */
const MAX_BYTES = 256 * 1024 * 1024;

/** A trial id: 12 hex digits, so it can go into a relative link as it is. */
export const TRIAL_ID = /^[0-9a-f]{12}$/;

/** results.json of the sweep directory `dir`; anything that is not one is a UserError (exit 2) naming the file. */
export function readSweepResults(dir: string): SweepResultsFile {
  const file = join(dir, "results.json");
  let data: unknown;
  try {
    const stats = statSync(file);
    // A FIFO would block the read forever.
    if (!stats.isFile()) throw new Error("not a regular file");
    if (stats.size > MAX_BYTES) throw new Error(`${stats.size} bytes, larger than any sweep's results`);
    data = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file (is this a sweep directory?)" : (error as Error).message;
    throw new UserError(`${file}: cannot read sweep results: ${reason}`);
  }
  const problem = shapeProblem(data);
  if (problem) throw new UserError(`${file}: not a sweep's results: ${problem}`);
  return data as SweepResultsFile;
}

/** The first field the page needs that is missing or of the wrong type, or null. */
function shapeProblem(data: unknown): string | null {
  const object = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);
  if (!object(data)) return "not a JSON object";
  if (typeof data.name !== "string") return "name is not a string";
  if (!object(data.plan) || !Array.isArray(data.plan.paths) || !data.plan.paths.every((p) => typeof p === "string")) return "plan.paths is not a list of strings";
  if (!object(data.objective) || !["valid_accuracy", "valid_loss", "train_loss"].includes(data.objective.metric as string) || !["max", "min"].includes(data.objective.goal as string)) return "objective is not { metric, goal }";
  if (typeof data.plan.hash !== "string" || typeof data.plan.shape !== "string" || typeof data.plan.size !== "number") return "plan is not { hash, shape, size, paths }";
  if (!object(data.counts) || !["trials", "completed", "diverged", "failed", "not_run", "passed"].every((k) => typeof (data.counts as Record<string, unknown>)[k] === "number")) return "counts is not the six counts";
  const run = data.run;
  if (!object(run) || typeof run.started_at !== "string" || typeof run.wall_seconds !== "number" || !Array.isArray(run.merged_from)) return "run is not { started_at, wall_seconds, merged_from }";
  if (data.best !== null && !(object(data.best) && typeof data.best.index === "number" && typeof data.best.value === "number")) return "best is not { index, id, value } or null";
  if (!Array.isArray(data.best_expectations)) return "best_expectations is not a list";
  if (!Array.isArray(data.trials)) return "trials is not a list";
  const numberOrNull = (value: unknown) => value === null || typeof value === "number";
  for (const [i, trial] of data.trials.entries()) {
    if (!object(trial) || typeof trial.index !== "number" || typeof trial.id !== "string" || !object(trial.params) || typeof trial.status !== "string" || !object(trial.metrics) || !object(trial.timings)) {
      return `trials[${i}] is not a trial (index, id, params, status, metrics, timings)`;
    }
    if (!numberOrNull(trial.objective) || !numberOrNull(trial.rank)) return `trials[${i}]: objective or rank is not a number or null`;
    if (!["valid_accuracy", "valid_loss", "train_loss"].every((m) => numberOrNull((trial.metrics as Record<string, unknown>)[m] ?? null))) return `trials[${i}].metrics: a loss or accuracy is not a number or null`;
    if (!numberOrNull(trial.timings.wall_seconds ?? null) || (trial.error !== null && typeof trial.error !== "string")) return `trials[${i}]: timings.wall_seconds or error of the wrong type`;
  }
  return null;
}
