import { checkBackends, loadBackend, backendOptions } from "@crossprop/backends";
import { checkSpec, initParams, InterruptedError, type Backend, type StopSignal } from "@crossprop/core";
import { withConfigLocation, type Experiment, type LoadedConfig } from "@crossprop/config";
import { checkpointPosition, readCheckpoint, removeCheckpoint, writeCheckpoint } from "./checkpoint.ts";
import { explosiveGrowth } from "./divergence.ts";
import { checkExpectations, type ExpectationResult } from "./expectations.ts";
import { OutputWriteError } from "./output-path.ts";
import type { Invocation } from "./provenance.ts";
import type { RunDirectory } from "./run-dir.ts";
import { peakRssMb, runSummary, SUMMARY_FILE } from "./summary.ts";
import { DivergenceError, train, TrainInterrupted, type TrainHistory, type TrainObserver, type TrainResult } from "./train.ts";

export interface RunOutcome {
  result: TrainResult;
  runDir: string;
  peakRssMb: number;
  expectations: ExpectationResult[];
  /** As summary.json records them; the CLI prints each as a `warning:` line. */
  warnings: string[];
}

export interface RunToDirectoryOptions {
  /** Polled between steps; once aborted the run stops, its summary says `interrupted`. */
  signal?: StopSignal;
  /** Continue from the checkpoint in `runDir` (refused, exit 2, if there is none or the config differs). */
  resume?: boolean;
  /** The command line, recorded in summary.json's provenance (the CLI passes it; library code never reads argv). */
  invocation?: Invocation;
  /**
   * Train on this backend instead of the config's: a user's module (backends' loadUserBackend), its
   * name the path as typed. Its declared support is checked against the config first.
   */
  backend?: Backend;
}

/**
 * Trains `loaded.config` on its backend into `runDir` (config.resolved.yaml, init/final
 * safetensors, metrics, steps, a checkpoint each epoch, predictions.csv, gradients.safetensors, summary); returns the result and its
 * expectation results. A diverged or interrupted run records its summary and rethrows.
 */
export async function runToDirectory(loaded: LoadedConfig, experiment: Experiment, runDir: RunDirectory, observer: TrainObserver = {}, options: RunToDirectoryOptions = {}): Promise<RunOutcome> {
  const { config } = loaded;
  const made = { startedAt: new Date(), invocation: options.invocation ?? null, ...(options.backend ? { backend: options.backend.name } : {}) };
  const resume = options.resume ? readCheckpoint(runDir.path, loaded.resolvedYaml) : undefined;
  const own = options.backend;
  withConfigLocation(loaded, () => (own ? checkSpec(experiment.spec, experiment.optimizer, [own]) : checkBackends([config.backend], experiment.spec, experiment.optimizer)));
  const backend = own ?? (await loadBackend(config.backend, backendOptions(config.backend, config, experiment.threads)));
  const backendName = own?.name ?? config.backend;
  const metadata = { name: config.name, backend: backendName, seed: String(config.seed), layout: "outputs = inputs @ weight + bias; weight [inputs, outputs]" };
  const initial = initParams(experiment.spec, experiment.init, config.seed);
  let seen: TrainHistory = resume?.history ?? { epochs: [], stepLosses: [] }; // what metrics.jsonl and steps.jsonl hold

  let stepsPerEpoch = 1;
  let epochs = 1;
  let engine = "";
  try {
    // First, so no file beside it is ever taken for a finished run's.
    runDir.writeJson(SUMMARY_FILE, runSummary(loaded, experiment, { ...made, status: "running", history: seen, peakRssMb: peakRssMb() }));
    runDir.writeText("config.resolved.yaml", loaded.resolvedYaml);
    runDir.writeParams("init.safetensors", initial, metadata);
    const checkpointContext = () => ({
      resolvedYaml: loaded.resolvedYaml,
      backend: backendName,
      engine,
      totalSteps: experiment.plan.totalSteps,
      stepsPerEpoch,
      shuffle: config.training.shuffle,
      seed: config.seed,
      optimizer: experiment.optimizer.type,
    });
    const trainOptions = {
      ...(options.signal ? { signal: options.signal } : {}),
      ...(resume ? { resume } : {}),
      onCheckpoint: (checkpoint: Parameters<typeof writeCheckpoint>[1]) => writeCheckpoint(runDir, checkpoint, checkpointContext()),
    };
    const result = await train(experiment, backend, initial, {
      ...observer,
      onStart(info) {
        stepsPerEpoch = info.stepsPerEpoch;
        epochs = info.epochs;
        engine = info.engine;
        observer.onStart?.(info);
      },
      onEpoch(record, history) {
        runDir.writeHistory(history, stepsPerEpoch);
        seen = history;
        observer.onEpoch?.(record, history);
      },
    }, trainOptions);
    runDir.writeParams("final.safetensors", result.final, metadata);
    runDir.writeEndOfRun(result.endOfRun ?? null, experiment.spec.dtype, metadata);
    const expectations = checkExpectations(config.expect, { ...result.epochs.at(-1) }, result.final);
    const peak = peakRssMb();
    const warnings = [explosiveGrowth(result)].filter((warning) => warning !== null);
    runDir.writeJson(SUMMARY_FILE, runSummary(loaded, experiment, { ...made, status: "completed", history: result, result, expectations, warnings, peakRssMb: peak }));
    removeCheckpoint(runDir.path);
    return { result, runDir: runDir.path, peakRssMb: peak, expectations, warnings };
  } catch (error) {
    if (error instanceof DivergenceError) {
      runDir.writeHistory(error.history, stepsPerEpoch);
      runDir.writeEndOfRun(error.endOfRun, experiment.spec.dtype, metadata);
      runDir.writeJson(SUMMARY_FILE, runSummary(loaded, experiment, { ...made, status: "diverged", error: error.message, history: error.history, peakRssMb: peakRssMb() }));
    }
    if (error instanceof TrainInterrupted) {
      runDir.writeHistory(error.history, stepsPerEpoch);
      const checkpoint = checkpointPosition(runDir.path);
      const done = error.history.stepLosses.length;
      const message =
        `${error.message} (epoch ${Math.floor(done / stepsPerEpoch) + 1} of ${epochs}); ` +
        (checkpoint ? `${runDir.path} holds the checkpoint of epoch ${checkpoint.epoch}: continue with --resume --out ${runDir.path}` : "no checkpoint yet (one is written at the end of each epoch)");
      runDir.writeJson(SUMMARY_FILE, runSummary(loaded, experiment, { ...made, status: "interrupted", error: message, history: error.history, checkpoint, peakRssMb: peakRssMb() }));
      throw new InterruptedError(error.signal, message);
    }
    // A full disk: the summary still says so if it can (the error itself is reported either way).
    if (error instanceof OutputWriteError) runDir.writeJsonIfPossible(SUMMARY_FILE, runSummary(loaded, experiment, { ...made, status: "failed", error: error.message, history: runDir.writtenHistory(seen), peakRssMb: peakRssMb() }));
    throw error;
  } finally {
    runDir.release();
  }
}
