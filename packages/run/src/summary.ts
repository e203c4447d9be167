import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Experiment, LoadedConfig } from "@crossprop/config";
import type { ExpectationResult } from "./expectations.ts";
import type { TrainHistory, TrainResult } from "./train.ts";
import { provenance, type Invocation, type Provenance } from "./provenance.ts";
import { packageVersions } from "./versions.ts";

/** summary.json, the record of one run (documented in the README). Written last, atomically. */
export interface RunSummary {
  /** 2: epochs is passes over the training set (was: evaluations), evaluations added, process_peak_rss_mb (was peak_rss_mb). */
  schema_version: 2;
  /** completed: trained to the end; diverged: stopped at a NaN/Inf loss; running: written at the
   * start, so the files beside it are never taken for a finished run's; failed: an I/O error;
   * interrupted: stopped by SIGINT/SIGTERM (`checkpoint` says where --resume continues). */
  status: "completed" | "diverged" | "running" | "failed" | "interrupted";
  error?: string;
  /** An interrupted run's last checkpoint (epochs and steps it holds), or null before the first. */
  checkpoint?: { epoch: number; step: number; file: string } | null;
  name: string;
  config_file: string;
  backend: string;
  engine: string | null;
  /** Threads the products were split over (training.threads resolved); 1 for engines that use one. */
  threads: number;
  seed: number;
  /** Passes over the training set: steps / steps per epoch (fractional when training by steps). */
  epochs: number;
  /** Training steps taken (lines of steps.jsonl). */
  steps: number;
  /** Evaluations recorded (lines of metrics.jsonl): one per epoch, or every eval_every steps. */
  evaluations: number;
  /** Final metrics per example (train_loss: the mean over the last interval's examples). */
  final: { train_loss: number | null; valid_loss: number | null; valid_accuracy: number | null };
  seconds_per_epoch: number | null;
  samples_per_second: number | null;
  wall_seconds: number | null;
  /** Peak resident memory of the whole process when the summary was written, in MB (with `run --backend a,b` it includes the backends trained before). */
  process_peak_rss_mb: number;
  data: { dataset: string; split: string; classes: string[]; train_examples: number; valid_examples: number; sha256: string };
  expectations: ExpectationResult[];
  /** Completed and every expectation met. */
  passed: boolean;
  /** Problems a completed run may still have, e.g. explosive growth of the loss (divergence.ts). */
  warnings: string[];
  versions: Record<string, string>;
  /** How the run was made: command, times, git commit, versions, machine (provenance.ts); null in summaries older than it. */
  provenance: Provenance | null;
}

export const SUMMARY_FILE = "summary.json";

/** The summary of a run that ended by itself: a `running` or `failed` one is not finished. */
export type FinishedRunSummary = RunSummary & { status: "completed" | "diverged" };

export interface SummaryInput {
  status: RunSummary["status"];
  history: TrainHistory;
  error?: string;
  checkpoint?: RunSummary["checkpoint"];
  result?: TrainResult;
  expectations?: ExpectationResult[];
  warnings?: string[];
  peakRssMb: number;
  /** When the run (this invocation of it) started, and the command line the CLI passed in. */
  startedAt: Date;
  invocation?: Invocation | null;
  /** The backend that trained, when it is not the config's `backend`: a user's module, named by its path. */
  backend?: string;
}

/** Peak resident memory of this process so far, in MB. */
export function peakRssMb(): number {
  return process.resourceUsage().maxRSS / 1024; // maxRSS is in kilobytes
}

/** The summary of a run of `experiment` as `loaded` describes it. */
export function runSummary(loaded: LoadedConfig, experiment: Experiment, input: SummaryInput): RunSummary {
  const { config, dataset } = experiment;
  const last = input.history.epochs[input.history.epochs.length - 1];
  const result = input.result;
  const expectations = input.expectations ?? [];
  return {
    schema_version: 2,
    status: input.status,
    ...(input.error ? { error: input.error } : {}),
    ...(input.checkpoint !== undefined ? { checkpoint: input.checkpoint } : {}),
    name: config.name,
    config_file: loaded.file,
    backend: input.backend ?? config.backend,
    engine: result?.engine ?? null,
    threads: result?.threads ?? experiment.threads,
    seed: config.seed,
    epochs: Math.round((input.history.stepLosses.length / experiment.plan.stepsPerEpoch) * 1e4) / 1e4,
    steps: input.history.stepLosses.length,
    evaluations: input.history.epochs.length,
    final: {
      train_loss: last?.train_loss ?? null,
      valid_loss: last?.valid_loss ?? null,
      valid_accuracy: last?.valid_accuracy ?? null,
    },
    seconds_per_epoch: result?.secondsPerEpoch ?? null,
    samples_per_second: result?.samplesPerSecond ?? null,
    wall_seconds: result?.wallSeconds ?? null,
    process_peak_rss_mb: Math.round(input.peakRssMb),
    data: {
      dataset: dataset.name,
      split: config.data.split,
      classes: dataset.classNames,
      train_examples: dataset.train.count,
      valid_examples: dataset.valid.count,
      sha256: experiment.dataSha256,
    },
    expectations,
    passed: input.status === "completed" && expectations.every((e) => e.passed),
    warnings: input.warnings ?? [],
    versions: packageVersions(),
    provenance: provenance({
      invocation: input.invocation ?? null,
      startedAt: input.startedAt,
      finishedAt: input.status === "running" ? null : new Date(),
      backends: [{ backend: input.backend ?? config.backend, engine: result?.engine ?? null }],
      threads: result?.threads ?? experiment.threads,
    }),
  };
}

/**
 * The summary.json of a finished run in `dir`, or null. A run is finished when its summary says
 * completed or diverged: written last and atomically, so a killed run leaves none, and a
 * diverged run would diverge again (runs are deterministic). Unreadable = unfinished.
 */
export function readRunSummary(dir: string): FinishedRunSummary | null {
  const file = join(dir, SUMMARY_FILE);
  if (!existsSync(file)) return null;
  try {
    const summary = JSON.parse(readFileSync(file, "utf8")) as RunSummary;
    if (summary.status !== "completed" && summary.status !== "diverged") return null;
    return { ...summary, provenance: summary.provenance ?? null } as FinishedRunSummary;
  } catch {
    return null;
  }
}
