import { existsSync, renameSync, rmSync } from "node:fs";
import { join } from "node:path";
import { checkExpectations, type ExpectationResult, type Provenance } from "@crossprop/run";
import { OUTPUT_FILES } from "./outputs.ts";
import type { TrialRecord } from "./record.ts";
import type { SweepSection } from "./random.ts";
import type { Shard } from "./shard.ts";

export const RESULTS_SCHEMA_VERSION = 2;

/** A plan trial as results.json lists it: enough for merge to name trials no shard ran. */
export interface PlanEntry {
  index: number;
  id: string;
  params: Record<string, unknown>;
}

/** What results.json says about the sweep as a whole, before any trial ran. */
export interface ResultsHeader {
  name: string;
  config_file: string;
  /** `sets`: the command line's --set values (absent in older files: none). */
  plan: { hash: string; shape: string; size: number; duplicates: number; paths: string[]; sets?: string[]; trials: PlanEntry[] };
  /** The part of the plan these results cover; null for the whole plan (a full run or a merge). With --shard auto, also its source and variables. */
  shard: Shard | null;
  objective: { metric: SweepSection["metric"]; goal: SweepSection["goal"] };
  expect_best: SweepSection["expect_best"];
}

/** How these results were produced; wall-clock, so excluded when comparing result sets. */
export interface RunInfo {
  kind: "sweep" | "merge";
  started_at: string;
  finished_at: string;
  wall_seconds: number;
  workers: number | null;
  merged_from: string[];
  /** The command, git commit, versions and machine; absent in results written before it. */
  provenance?: Provenance;
}

/** results.json (schema: packages/sweep/schema/sweep-results.schema.json). */
export interface SweepResults extends ResultsHeader {
  schema_version: typeof RESULTS_SCHEMA_VERSION;
  best: { index: number; id: string; value: number } | null;
  /** sweep.expect_best checked on the best trial; empty for a shard (its best is not the sweep's). */
  best_expectations: ExpectationResult[];
  counts: { trials: number; completed: number; diverged: number; failed: number; not_run: number; passed: number };
  /** Every trial passed and, for a whole plan, the best met expect_best. */
  passed: boolean;
  /** In plan order. */
  trials: TrialRecord[];
  run: RunInfo;
}

/**
 * Ranks the trials by the objective (ties by plan index, so the order never depends on which
 * trial finished first), picks the best, checks expect_best, and counts.
 */
export function buildResults(header: ResultsHeader, records: readonly TrialRecord[], run: RunInfo): SweepResults {
  const { metric, goal } = header.objective;
  const trials = [...records]
    .sort((a, b) => a.index - b.index)
    .map((record) => {
      const value = record.status === "completed" ? record.metrics[metric] : null;
      return { ...record, objective: value !== null && Number.isFinite(value) ? value : null, rank: null as number | null };
    });
  const ranked = trials.filter((t) => t.objective !== null).sort((a, b) => compareObjective(a, b, goal));
  ranked.forEach((trial, i) => (trial.rank = i + 1));
  const top = ranked[0];
  const best = top ? { index: top.index, id: top.id, value: top.objective! } : null;
  const bestExpectations = header.shard === null ? checkExpectations(header.expect_best, top ? { ...top.metrics } : {}) : [];
  const count = (status: TrialRecord["status"]) => trials.filter((t) => t.status === status).length;
  const passed = trials.filter((t) => t.passed).length;
  return {
    schema_version: RESULTS_SCHEMA_VERSION,
    ...header,
    best,
    best_expectations: bestExpectations,
    counts: { trials: trials.length, completed: count("completed"), diverged: count("diverged"), failed: count("failed"), not_run: count("not_run"), passed },
    passed: passed === trials.length && bestExpectations.every((e) => e.passed),
    trials,
    run,
  };
}

function compareObjective(a: TrialRecord, b: TrialRecord, goal: "max" | "min"): number {
  const difference = goal === "max" ? b.objective! - a.objective! : a.objective! - b.objective!;
  return difference !== 0 ? difference : a.index - b.index;
}

/** Trials best first, then those without an objective in plan order: the order tables use. */
export function byRank(results: SweepResults): TrialRecord[] {
  return [...results.trials].sort((a, b) => (a.rank ?? Infinity) - (b.rank ?? Infinity) || a.index - b.index);
}

/** What an old result file becomes while a `--force` sweep replaces it: results.json → results.json.stale. */
export const STALE_SUFFIX = ".stale";

/**
 * Renames the sweep's result files in `dir` to `<name>.stale` before a `--force` sweep runs, so a
 * sweep killed midway never leaves the old results looking like the new ones.
 */
export function markResultsStale(dir: string): void {
  for (const name of OUTPUT_FILES) {
    const file = join(dir, name);
    if (existsSync(file)) renameSync(file, file + STALE_SUFFIX);
  }
}

/** Removes the `.stale` copies once fresh results are written. */
export function removeStaleResults(dir: string): void {
  for (const name of OUTPUT_FILES) rmSync(join(dir, name + STALE_SUFFIX), { force: true });
}
