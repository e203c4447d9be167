import type { LoadedConfig } from "./config/index.ts";
import type { ExpectationResult } from "./expectations.ts";
import type { Experiment } from "./experiment.ts";
import type { TrainHistory, TrainResult } from "./train.ts";
import { packageVersions } from "./versions.ts";

export interface SummaryInput {
  status: "completed" | "diverged";
  history: TrainHistory;
  error?: string;
  result?: TrainResult;
  expectations?: ExpectationResult[];
  peakRssMb: number;
}

/** Peak resident memory of this process so far, in MB. */
export function peakRssMb(): number {
  return process.resourceUsage().maxRSS / 1024; // maxRSS is in kilobytes
}

/** summary.json: final metrics, timings, data digest, versions. Documented in the README. */
export function runSummary(loaded: LoadedConfig, experiment: Experiment, input: SummaryInput) {
  const { config, dataset } = experiment;
  const last = input.history.epochs[input.history.epochs.length - 1];
  const result = input.result;
  const expectations = input.expectations ?? [];
  return {
    schema_version: 1,
    status: input.status,
    ...(input.error ? { error: input.error } : {}),
    name: config.name,
    config_file: loaded.file,
    backend: config.backend,
    engine: result?.engine ?? null,
    seed: config.seed,
    epochs: input.history.epochs.length,
    steps: input.history.stepLosses.length,
    final: {
      train_loss: last?.train_loss ?? null,
      valid_loss: last?.valid_loss ?? null,
      valid_accuracy: last?.valid_accuracy ?? null,
    },
    seconds_per_epoch: result?.secondsPerEpoch ?? null,
    samples_per_second: result?.samplesPerSecond ?? null,
    wall_seconds: result?.wallSeconds ?? null,
    peak_rss_mb: Math.round(input.peakRssMb),
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
    versions: packageVersions(),
  };
}
