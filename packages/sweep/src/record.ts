import { join } from "node:path";
import type { ExpectationResult, FinishedRunSummary } from "@crossprop/run";
import type { TrialParam } from "./param-text.ts";

/** completed: trained to the end; diverged: NaN/Inf loss; failed: an error; not_run: never started. */
export type TrialStatus = "completed" | "diverged" | "failed" | "not_run";

/** One trial's line of results.json. */
export interface TrialRecord {
  index: number;
  id: string;
  /** Swept path → value. */
  params: Record<string, unknown>;
  status: TrialStatus;
  error: string | null;
  backend: string | null;
  engine: string | null;
  /** Final metrics (losses per example) and how far the trial trained: epochs = passes over the training set, steps, evaluations. */
  metrics: { train_loss: number | null; valid_loss: number | null; valid_accuracy: number | null; epochs: number; steps: number; evaluations: number };
  /** The sweep's metric for this trial; null unless completed. Set by buildResults. */
  objective: number | null;
  /** 1 = best by the objective, among completed trials; null otherwise. Set by buildResults. */
  rank: number | null;
  /** The config's expect: bounds, as checked when the trial finished. */
  expectations: ExpectationResult[];
  /** Completed and every expectation met. */
  passed: boolean;
  /** The trial's run directory, relative to the sweep directory; null if it never started. */
  run_dir: string | null;
  /** Wall-clock figures: they differ between runs of the same trial, so they are kept apart. */
  timings: {
    /** Training and evaluation, from the run's summary.json. */
    wall_seconds: number | null;
    seconds_per_epoch: number | null;
    samples_per_second: number | null;
    /** From handing the trial to a worker to its answer (config, data, training, files); null if resumed. */
    elapsed_seconds: number | null;
    /** Finished by an earlier run and kept. */
    resumed: boolean;
  };
}

export interface TrialKey {
  index: number;
  id: string;
  params: readonly TrialParam[];
}

/** `trials/<id>`: where a trial runs, relative to the sweep directory. */
export const trialRunDir = (id: string) => join("trials", id);

/** A trial that wrote its summary; `elapsedSeconds` null means it finished in an earlier run. */
export function recordFromSummary(trial: TrialKey, summary: FinishedRunSummary, elapsedSeconds: number | null): TrialRecord {
  return {
    ...identity(trial),
    status: summary.status,
    error: summary.error ?? null,
    backend: summary.backend,
    engine: summary.engine,
    metrics: { ...summary.final, epochs: summary.epochs, steps: summary.steps, evaluations: summary.evaluations },
    objective: null,
    rank: null,
    expectations: summary.expectations,
    passed: summary.status === "completed" && summary.passed,
    run_dir: trialRunDir(trial.id),
    timings: {
      wall_seconds: summary.wall_seconds,
      seconds_per_epoch: summary.seconds_per_epoch,
      samples_per_second: summary.samples_per_second,
      elapsed_seconds: elapsedSeconds,
      resumed: elapsedSeconds === null,
    },
  };
}

/** A trial that failed before writing a summary, or never ran (`runDir` null). */
export function recordWithoutSummary(trial: TrialKey, status: "failed" | "not_run", error: string, runDir: string | null, elapsedSeconds: number | null = null): TrialRecord {
  return {
    ...identity(trial),
    status,
    error,
    backend: null,
    engine: null,
    metrics: { train_loss: null, valid_loss: null, valid_accuracy: null, epochs: 0, steps: 0, evaluations: 0 },
    objective: null,
    rank: null,
    expectations: [],
    passed: false,
    run_dir: runDir,
    timings: { wall_seconds: null, seconds_per_epoch: null, samples_per_second: null, elapsed_seconds: elapsedSeconds, resumed: false },
  };
}

function identity(trial: TrialKey) {
  return { index: trial.index, id: trial.id, params: Object.fromEntries(trial.params.map((p) => [p.path, p.value])) };
}
