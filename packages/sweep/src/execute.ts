import { availableParallelism } from "node:os";
import { join } from "node:path";
import type { PlannedTrial, SweepPlan } from "./plan.ts";
import { runInWorkers } from "./pool.ts";
import { readRunSummary } from "@crossprop/run";
import { recordFromSummary, recordWithoutSummary, trialRunDir, type TrialRecord } from "./record.ts";
import { markResultsStale } from "./results.ts";
import { inShard, type Shard } from "./shard.ts";
import { rejudged, trialEvidence, TrialEvidenceError, type TrialEvidence } from "./trial-evidence.ts";

export interface ExecuteOptions {
  /** The sweep directory; trial i runs in <dir>/trials/<id>. */
  dir: string;
  shard: Shard | null;
  workers: number;
  /** Rerun trials that already finished. */
  force: boolean;
  /** Start no trial after the first that did not pass. */
  failFast: boolean;
  /** Write each finished trial's report.html (default true; false: `--no-report`). */
  report?: boolean;
  /** Once aborted (SIGINT/SIGTERM), no trial starts and running ones stop; unfinished trials are `not_run`. */
  signal?: AbortSignal;
  observer?: ExecuteObserver;
}

export interface ExecuteObserver {
  /** `resumed`: trials finished by an earlier run, kept as they are. */
  onPlan?(total: number, resumed: readonly TrialRecord[]): void;
  onStart?(trial: PlannedTrial): void;
  onFinish?(record: TrialRecord): void;
  /** Something that cost the trial nothing went wrong (its report.html was not written). */
  onWarning?(message: string): void;
}

/**
 * Runs the shard's part of the plan: finished trials are kept (unless `force`), the rest run in
 * worker threads. Returns one record per trial of the shard, in plan order.
 */
export async function executePlan(plan: SweepPlan, options: ExecuteOptions): Promise<TrialRecord[]> {
  const trials = plan.trials.filter((trial) => inShard(trial.index, options.shard));
  // Before anything runs, so a --force sweep killed midway never leaves the old results looking current.
  if (options.force) markResultsStale(options.dir);
  const records = new Map<number, TrialRecord>();
  const pending: PlannedTrial[] = [];
  for (const trial of trials) {
    // A finished trial is kept only once its directory is verified as this trial's (trial-evidence.ts).
    const evidence = options.force ? null : resumable(options.dir, trial.id);
    // Judged by the plan's bounds, which may differ from those it ran with (they are not part of its id).
    if (evidence?.kind === "finished") records.set(trial.index, recordFromSummary(trial, trial.expect ? rejudged(evidence, trial.expect) : evidence.summary, null));
    else pending.push(trial);
  }
  options.observer?.onPlan?.(trials.length, [...records.values()]);

  let stoppedBy = options.failFast ? [...records.values()].find((record) => !record.passed) : undefined;
  if (!stoppedBy) {
    await runInWorkers(
      pending.map((trial) => ({ tag: trial, sets: trial.sets, dir: join(options.dir, trialRunDir(trial.id)) })),
      {
        workers: options.workers,
        ...(options.signal ? { signal: options.signal } : {}),
        // Workers running at once share the cores: two trials with two kernel threads each would fight for them.
        shared: { file: plan.file, text: plan.text, threads: Math.max(1, Math.floor(availableParallelism() / Math.max(1, Math.min(options.workers, pending.length)))), report: options.report ?? true },
        onStart: (trial) => options.observer?.onStart?.(trial),
        onFinish(trial, outcome, seconds) {
          const summary = readRunSummary(join(options.dir, trialRunDir(trial.id)));
          const record = summary
            ? recordFromSummary(trial, summary, seconds)
            : outcome.status === "interrupted"
              ? recordWithoutSummary(trial, "not_run", `not run: ${interruption(options.signal)} stopped it midway; it runs again when the sweep is resumed`, null, seconds)
              : recordWithoutSummary(trial, "failed", outcome.error ?? "no summary.json was written", trialRunDir(trial.id), seconds);
          records.set(trial.index, record);
          options.observer?.onFinish?.(record);
          for (const warning of outcome.warnings ?? []) options.observer?.onWarning?.(warning);
          if (options.failFast && !record.passed) stoppedBy ??= record;
          return stoppedBy === undefined;
        },
      },
    );
  }
  for (const trial of pending) {
    if (records.has(trial.index)) continue;
    const why = stoppedBy
      ? `--fail-fast stopped the sweep after trial #${stoppedBy.index} (${stoppedBy.id}) did not pass`
      : `${interruption(options.signal)} stopped the sweep before it started`;
    const record = recordWithoutSummary(trial, "not_run", `not run: ${why}`, null);
    records.set(trial.index, record);
  }
  return trials.map((trial) => records.get(trial.index)!);
}

/** "SIGINT", as the sweep's signal names it. */
function interruption(signal: AbortSignal | undefined): string {
  return signal?.reason === "SIGTERM" ? "SIGTERM" : "SIGINT";
}

/** A trial directory from an earlier run, verified; one that contradicts itself is refused (exit 2) before any trial runs. */
function resumable(dir: string, id: string): TrialEvidence {
  try {
    return trialEvidence(dir, id);
  } catch (error) {
    if (error instanceof TrialEvidenceError) throw new TrialEvidenceError(error.message, "not resumed; remove the trial's directory, or rerun every trial with --force");
    throw error;
  }
}
