import { initParams, type ParamList } from "@crossprop/core";
import type { BackendName } from "../backends.ts";
import { loadConfig, type LoadedConfig } from "../config/index.ts";
import { checkExpectations, describeExpectation, type ExpectationResult } from "../expectations.ts";
import { prepareExperiment, type Experiment } from "../experiment.ts";
import { progressObserver } from "../progress.ts";
import { resultsTable } from "../report.ts";
import { RunDirectory } from "../run-dir.ts";
import { DivergenceError, train, type TrainHistory, type TrainResult } from "../train.ts";
import { packageVersions } from "../versions.ts";
import { withConfigLocation } from "./locate.ts";

export interface RunOptions {
  backend?: BackendName;
  set: string[];
  out?: string;
  quiet: boolean;
}

/** `crossprop run`: train a config, write its run directory, check `expect:`. Returns the exit code. */
export async function runCommand(configPath: string, options: RunOptions): Promise<number> {
  const sets = options.backend ? [...options.set, `backend=${options.backend}`] : options.set;
  const loaded = loadConfig(configPath, sets);
  const config = loaded.config;
  const experiment = withConfigLocation(loaded, () => prepareExperiment(config));
  const backend = config.backend;
  const runDir = RunDirectory.create({ out: options.out, name: config.name, backend });
  const metadata = { name: config.name, backend, seed: String(config.seed), layout: "weight [inputs, outputs]: outputs = inputs @ weight + bias" };
  const initial = initParams(experiment.spec, experiment.init, config.seed);
  runDir.writeText("config.resolved.yaml", loaded.resolvedYaml);
  runDir.writeParams("init.safetensors", initial, metadata);

  const progress = progressObserver({ quiet: options.quiet, stream: process.stderr });
  let stepsPerEpoch = 1;
  let result: TrainResult;
  try {
    result = await train(experiment, backend, initial, {
      ...progress,
      onStart(info) {
        stepsPerEpoch = info.stepsPerEpoch;
        progress.onStart?.(info);
      },
      onEpoch(record, history) {
        runDir.writeHistory(history, stepsPerEpoch);
        progress.onEpoch?.(record, history);
      },
    });
  } catch (error) {
    if (error instanceof DivergenceError) {
      runDir.writeHistory(error.history, stepsPerEpoch);
      runDir.writeJson("summary.json", summary(loaded, experiment, { status: "diverged", error: error.message, history: error.history }));
    }
    throw error;
  }
  runDir.writeParams("final.safetensors", result.final, metadata);
  const last = result.epochs[result.epochs.length - 1]!;
  const expectations = checkExpectations(config.expect, { ...last });
  const peakRssMb = peakRss();
  runDir.writeJson("summary.json", summary(loaded, experiment, { status: "completed", history: result, result, expectations, peakRssMb }));

  process.stdout.write(`${resultsTable([{ result, runDir: runDir.path, peakRssMb }])}\n`);
  for (const expectation of expectations) process.stdout.write(`${describeExpectation(expectation)}\n`);
  const failed = expectations.filter((e) => !e.passed);
  if (failed.length > 0) {
    process.stderr.write(`error: ${failed.length} expectation(s) not met: ${failed.map((e) => e.metric).join(", ")}\n`);
    return 1;
  }
  return 0;
}

export function peakRss(): number {
  return process.resourceUsage().maxRSS / 1024; // maxRSS is in kilobytes
}

interface SummaryInput {
  status: "completed" | "diverged";
  history: TrainHistory;
  error?: string;
  result?: TrainResult;
  expectations?: ExpectationResult[];
  peakRssMb?: number;
}

/** summary.json: final metrics, timings, data digest, versions. Documented in the README. */
function summary(loaded: LoadedConfig, experiment: Experiment, input: SummaryInput) {
  const { config, dataset } = experiment;
  const last = input.history.epochs[input.history.epochs.length - 1];
  const result = input.result;
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
    peak_rss_mb: input.peakRssMb ?? peakRss(),
    data: {
      dataset: dataset.name,
      split: config.data.split,
      classes: dataset.classNames,
      train_examples: dataset.train.count,
      valid_examples: dataset.valid.count,
      sha256: experiment.dataSha256,
    },
    expectations: input.expectations ?? [],
    passed: input.status === "completed" && (input.expectations ?? []).every((e) => e.passed),
    versions: packageVersions(),
  };
}
