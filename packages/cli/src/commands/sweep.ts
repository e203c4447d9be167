import { availableParallelism } from "node:os";
import { join } from "node:path";
import { InterruptedError, stopSignalName, UserError } from "@crossprop/core";
import { backendEntry, isBackendName } from "@crossprop/backends";
import { describeExpectation, provenance, readRunSummary, type Invocation } from "@crossprop/run";
import {
  buildPlan,
  buildResults,
  describeShardSource,
  executePlan,
  inShard,
  mergeResults,
  OUTPUT_FILES,
  prepareSweepDirectory,
  planTable,
  removeStaleResults,
  resolveShard,
  resultsHeader,
  resultsTable,
  trialRunDir,
  verifyShards,
  writeOutputs,
  type Shard,
  type SweepResults,
} from "@crossprop/sweep";
import { humanStream, jsonOutput } from "../json-output.ts";
import { stopSignal } from "../signals.ts";
import { sweepProgress, trialLine } from "../sweep-progress.ts";
import { memoryLimitOptions } from "../memory-limit.ts";
import { outputWidth, wrapLine } from "../terminal.ts";
import { noExpectSets, writeReplacementNotes } from "../config-notes.ts";

export interface SweepOptions {
  plan: boolean;
  workers?: string;
  shard?: string;
  /** With `--shard auto`, the count for platforms that give none (a Kubernetes Indexed Job's completions). */
  shardCount?: string;
  force: boolean;
  failFast: boolean;
  out?: string;
  set: string[];
  quiet: boolean;
  /** false: --no-expect, check neither the trials' expect: nor sweep.expect_best. */
  expect?: boolean;
  /** false: --no-report, no report.html in the trials' directories. */
  report?: boolean;
  /** A file to append summary.md to: $GITHUB_STEP_SUMMARY, read by the CLI layer. */
  stepSummary?: string;
  /** With --plan: write the plan as JSON to this file, or `-` for stdout (the table then goes to stderr). */
  json?: string;
  /** The command line, for results.json's provenance. */
  invocation?: Invocation;
}

/**
 * `crossprop sweep`: plan (every trial validated first), run the shard's unfinished trials in
 * worker threads, write the sweep directory. Exit 0 = every trial and expect_best passed,
 * 1 = something did not, 2 = a config or usage error (thrown as UserError).
 */
export async function sweepCommand(configPath: string, options: SweepOptions): Promise<number> {
  // `--shard auto` reads the cluster's variables: process.env is read here, shard-env.ts stays pure.
  const shard = resolveShard(options.shard, options.shardCount, process.env);
  const origin = shard && describeShardSource(shard);
  if (origin) process.stderr.write(`note: ${origin}\n`);
  const workers = parseWorkers(options.workers);
  // --no-expect empties the bounds by overrides, which results.json records, so merge recomputes the same plan.
  const sets = options.expect === false ? noExpectSets(configPath, options.set) : options.set;
  const plan = buildPlan(configPath, sets, memoryLimitOptions());
  writeReplacementNotes(plan.replacements);
  const dir = options.out ?? defaultSweepDir(plan.name, plan.hash, shard);
  const trials = plan.trials.filter((trial) => inShard(trial.index, shard));
  if (options.json !== undefined && !options.plan) throw new UserError("--json goes with --plan; a sweep writes its results to results.json in the sweep directory");

  if (options.plan) {
    const json = jsonOutput(options.json);
    const out = humanStream(json);
    const finished = (trial: { id: string }) => readRunSummary(join(dir, trialRunDir(trial.id))) !== null;
    const scope = shard ? `, shard ${shard.index}/${shard.count}: ${trials.length} of them` : "";
    const merged = plan.duplicates > 0 ? ` (${plan.duplicates} duplicate point${plan.duplicates === 1 ? "" : "s"} run once)` : "";
    out.write(`${wrapLine(`${plan.name}: ${plan.trials.length} trials, ${plan.shape}${merged}${scope}; sweep directory ${dir}`, outputWidth(out))}\n`);
    out.write(`${planTable(plan, trials, finished, outputWidth(out))}\n`);
    // The plan as results.json's header describes it, and this shard's trials with whether each has finished.
    const shardTrials = trials.map(({ index, id, params }) => ({ index, id, params: Object.fromEntries(params.map((p) => [p.path, p.value])), finished: finished({ id }) }));
    json?.write({ ...resultsHeader(plan, shard, sets), sweep_dir: dir, trials: shardTrials });
    return 0;
  }

  prepareSweepDirectory(dir);
  const startedAt = new Date();
  const objective = { metric: plan.sweep.metric, goal: plan.sweep.goal };
  const progress = sweepProgress({ quiet: options.quiet, stream: process.stderr, objective });
  if (!options.quiet) process.stderr.write(`${wrapLine(`sweep ${plan.name}: ${trials.length} trials (${plan.shape}${shard ? `, shard ${shard.index}/${shard.count}` : ""}) in ${dir}, ${Math.min(workers, trials.length)} worker(s)`, outputWidth(process.stderr))}\n`);
  let records;
  try {
    records = await executePlan(plan, { dir, shard, workers, force: options.force, failFast: options.failFast, report: options.report ?? true, observer: progress, signal: stopSignal });
  } finally {
    progress.stop();
  }
  const finishedAt = new Date();
  const results = buildResults(resultsHeader(plan, shard, sets), records, {
    kind: "sweep",
    started_at: startedAt.toISOString(),
    finished_at: finishedAt.toISOString(),
    wall_seconds: (finishedAt.getTime() - startedAt.getTime()) / 1000,
    workers,
    merged_from: [],
    provenance: provenance({ invocation: options.invocation ?? null, startedAt, finishedAt, backends: tfjsTrials(records), threads: null }),
  });
  warn(await writeOutputs(dir, results, options.stepSummary));
  removeStaleResults(dir);
  if (stopSignal.aborted) {
    // Interrupted: the results are written, with what did not finish `not_run`; one line, exit 130/143.
    const name = stopSignalName(stopSignal);
    const finished = results.counts.trials - results.counts.not_run;
    throw new InterruptedError(name, `interrupted by ${name}: ${join(dir, "results.json")} lists ${finished} finished trial(s), ${results.counts.not_run} not_run; run the same command again to resume`);
  }
  return report(results, dir);
}

/** `crossprop sweep merge DIR...`: shard directories → one result set, as an unsharded run's. */
export async function sweepMergeCommand(dirs: string[], options: { out?: string; stepSummary?: string; invocation?: Invocation }): Promise<number> {
  const startedAt = new Date();
  // Every shard is verified before anything is written.
  const verified = verifyShards(dirs);
  const out = options.out ?? defaultSweepDir(verified.header.name, verified.header.plan.hash, null);
  prepareSweepDirectory(out);
  const finishedAt = new Date();
  const merged = mergeResults(verified, out, {
    kind: "merge",
    started_at: startedAt.toISOString(),
    finished_at: finishedAt.toISOString(),
    wall_seconds: (finishedAt.getTime() - startedAt.getTime()) / 1000,
    workers: null,
    merged_from: dirs,
  });
  const made = provenance({ invocation: options.invocation ?? null, startedAt, finishedAt, backends: tfjsTrials(merged.trials), threads: null });
  const results = { ...merged, run: { ...merged.run, provenance: made } };
  warn(await writeOutputs(out, results, options.stepSummary));
  return report(results, out);
}

/** The trials' backends and engines that compute with a library (tfjs), so results.json's provenance names its versions. */
function tfjsTrials(records: readonly { backend: string | null; engine: string | null }[]): { backend: string; engine: string | null }[] {
  return records.flatMap((r) => (r.backend !== null && isBackendName(r.backend) && backendEntry(r.backend).library ? [{ backend: r.backend, engine: r.engine }] : []));
}

/** Warnings leave the exit code as it is. */
function warn(warnings: string[]): void {
  for (const warning of warnings) process.stderr.write(`warning: ${warning}\n`);
}

/** runs/<name>/sweep-<plan hash>[-shard-i-of-n]: a rerun of the same plan lands here and resumes. */
export function defaultSweepDir(name: string, hash: string, shard: Shard | null): string {
  return join("runs", name, `sweep-${hash}${shard ? `-shard-${shard.index}-of-${shard.count}` : ""}`);
}

function parseWorkers(text: string | undefined): number {
  if (text === undefined) return availableParallelism();
  const workers = Number(text);
  if (!Number.isInteger(workers) || workers < 1) throw new UserError(`--workers: expected an integer ≥ 1, got "${text}"`);
  return workers;
}

/** The final table on stdout, what failed on stderr; returns the exit code. */
function report(results: SweepResults, dir: string): number {
  const width = outputWidth(process.stdout);
  process.stdout.write(`${resultsTable(results, width)}\n`);
  for (const expectation of results.best_expectations) process.stdout.write(`${describeExpectation(expectation)} (best trial)\n`);
  process.stdout.write(`${wrapLine(`results: ${OUTPUT_FILES.map((file) => join(dir, file)).join(", ")}`, width)}\n`);
  if (results.passed) return 0;
  const failed = results.trials.filter((trial) => !trial.passed);
  for (const trial of failed) process.stderr.write(`error: ${trialLine(trial, results.objective.metric)}\n`);
  const missedBest = results.best_expectations.filter((e) => !e.passed);
  if (missedBest.length > 0) process.stderr.write(`error: the best trial missed sweep.expect_best: ${missedBest.map((e) => e.metric).join(", ")}\n`);
  if (failed.length > 0) process.stderr.write(`error: ${failed.length} of ${results.trials.length} trials did not pass\n`);
  return 1;
}

