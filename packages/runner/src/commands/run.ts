import { join } from "node:path";
import { initParams } from "@crossprop/core";
import type { BackendName } from "../backends.ts";
import { loadConfig, type LoadedConfig } from "../config/index.ts";
import { checkExpectations, describeExpectation, type ExpectationResult } from "../expectations.ts";
import { prepareExperiment, type Experiment } from "../experiment.ts";
import { progressObserver } from "../progress.ts";
import { resultsTable, type TableRow } from "../report.ts";
import { RunDirectory } from "../run-dir.ts";
import { peakRssMb, runSummary } from "../summary.ts";
import { DivergenceError, train } from "../train.ts";
import { withConfigLocation } from "./locate.ts";

export interface RunOptions {
  /** Backends to train on, in order; empty = the config's own `backend`. */
  backends: BackendName[];
  set: string[];
  out?: string;
  quiet: boolean;
}

/**
 * `crossprop run`: train a config on one backend — or on several, each from the same initial
 * parameters and batches, ending with a side-by-side table. Returns the exit code.
 */
export async function runCommand(configPath: string, options: RunOptions): Promise<number> {
  const first = loadConfig(configPath, options.set);
  const backends = options.backends.length > 0 ? options.backends : [first.config.backend];
  const experiment = withConfigLocation(first, () => prepareExperiment(first.config));
  const several = backends.length > 1;
  const parent = several ? RunDirectory.create({ out: options.out, name: first.config.name, backend: "compare" }) : null;

  const rows: TableRow[] = [];
  const expectations: ExpectationResult[] = [];
  for (const backend of backends) {
    // The backend goes through the config like any --set, so config.resolved.yaml records it.
    const loaded = loadConfig(configPath, [...options.set, `backend=${backend}`]);
    const runDir = parent
      ? RunDirectory.create({ out: join(parent.path, backend), name: loaded.config.name, backend })
      : RunDirectory.create({ out: options.out, name: loaded.config.name, backend });
    const outcome = await runToDirectory(loaded, { ...experiment, config: loaded.config }, runDir, options.quiet);
    rows.push(outcome.row);
    expectations.push(...outcome.expectations.map((e) => (several ? { ...e, metric: `${backend}: ${e.metric}` } : e)));
  }

  const table = resultsTable(rows);
  if (parent) {
    parent.writeText("comparison.txt", `${table}\n`);
    parent.writeJson("comparison.json", rows.map(({ result, runDir, peakRssMb }) => ({ backend: result.backend, run_dir: runDir, engine: result.engine, final: result.epochs.at(-1), seconds_per_epoch: result.secondsPerEpoch, samples_per_second: result.samplesPerSecond, peak_rss_mb: Math.round(peakRssMb) })));
  }
  process.stdout.write(`${table}\n`);
  for (const expectation of expectations) process.stdout.write(`${describeExpectation(expectation)}\n`);
  const failed = expectations.filter((e) => !e.passed);
  if (failed.length > 0) {
    process.stderr.write(`error: ${failed.length} expectation(s) not met: ${failed.map((e) => e.metric).join(", ")}\n`);
    return 1;
  }
  return 0;
}

export interface RunOutcome {
  row: TableRow;
  expectations: ExpectationResult[];
}

/**
 * Trains `loaded.config` on its backend into `runDir` (config.resolved.yaml, init/final
 * safetensors, metrics, steps, summary); returns its table column and expectation results.
 * A diverged run records its summary and rethrows the DivergenceError.
 */
export async function runToDirectory(loaded: LoadedConfig, experiment: Experiment, runDir: RunDirectory, quiet: boolean): Promise<RunOutcome> {
  const { config } = loaded;
  const metadata = { name: config.name, backend: config.backend, seed: String(config.seed), layout: "outputs = inputs @ weight + bias; weight [inputs, outputs]" };
  const initial = initParams(experiment.spec, experiment.init, config.seed);
  runDir.writeText("config.resolved.yaml", loaded.resolvedYaml);
  runDir.writeParams("init.safetensors", initial, metadata);

  const progress = progressObserver({ quiet, stream: process.stderr });
  let stepsPerEpoch = 1;
  try {
    const result = await train(experiment, config.backend, initial, {
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
    runDir.writeParams("final.safetensors", result.final, metadata);
    const expectations = checkExpectations(config.expect, { ...result.epochs.at(-1) }, result.final);
    const peak = peakRssMb();
    runDir.writeJson("summary.json", runSummary(loaded, experiment, { status: "completed", history: result, result, expectations, peakRssMb: peak }));
    return { row: { result, runDir: runDir.path, peakRssMb: peak }, expectations };
  } catch (error) {
    if (error instanceof DivergenceError) {
      runDir.writeHistory(error.history, stepsPerEpoch);
      runDir.writeJson("summary.json", runSummary(loaded, experiment, { status: "diverged", error: error.message, history: error.history, peakRssMb: peakRssMb() }));
    }
    throw error;
  }
}
