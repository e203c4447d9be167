import { checkBackends, loadBackend, backendOptions } from "@crossprop/backends";
import { initParams } from "@crossprop/core";
import { withConfigLocation, type Experiment, type LoadedConfig } from "@crossprop/config";
import { explosiveGrowth } from "./divergence.ts";
import { checkExpectations, type ExpectationResult } from "./expectations.ts";
import { OutputWriteError } from "./output-path.ts";
import type { RunDirectory } from "./run-dir.ts";
import { peakRssMb, runSummary, SUMMARY_FILE } from "./summary.ts";
import { DivergenceError, train, type TrainHistory, type TrainObserver, type TrainResult } from "./train.ts";

export interface RunOutcome {
  result: TrainResult;
  runDir: string;
  peakRssMb: number;
  expectations: ExpectationResult[];
  /** As summary.json records them; the CLI prints each as a `warning:` line. */
  warnings: string[];
}

/**
 * Trains `loaded.config` on its backend into `runDir` (config.resolved.yaml, init/final
 * safetensors, metrics, steps, summary); returns the result and its expectation results.
 * A diverged run records its summary and rethrows the DivergenceError.
 */
export async function runToDirectory(loaded: LoadedConfig, experiment: Experiment, runDir: RunDirectory, observer: TrainObserver = {}): Promise<RunOutcome> {
  const { config } = loaded;
  withConfigLocation(loaded, () => checkBackends([config.backend], experiment.spec, experiment.optimizer));
  const backend = await loadBackend(config.backend, backendOptions(config.backend, config, experiment.threads));
  const metadata = { name: config.name, backend: config.backend, seed: String(config.seed), layout: "outputs = inputs @ weight + bias; weight [inputs, outputs]" };
  const initial = initParams(experiment.spec, experiment.init, config.seed);
  let seen: TrainHistory = { epochs: [], stepLosses: [] }; // what metrics.jsonl and steps.jsonl hold

  let stepsPerEpoch = 1;
  try {
    // First, so no file beside it is ever taken for a finished run's.
    runDir.writeJson(SUMMARY_FILE, runSummary(loaded, experiment, { status: "running", history: seen, peakRssMb: peakRssMb() }));
    runDir.writeText("config.resolved.yaml", loaded.resolvedYaml);
    runDir.writeParams("init.safetensors", initial, metadata);
    const result = await train(experiment, backend, initial, {
      ...observer,
      onStart(info) {
        stepsPerEpoch = info.stepsPerEpoch;
        observer.onStart?.(info);
      },
      onEpoch(record, history) {
        runDir.writeHistory(history, stepsPerEpoch);
        seen = history;
        observer.onEpoch?.(record, history);
      },
    });
    runDir.writeParams("final.safetensors", result.final, metadata);
    const expectations = checkExpectations(config.expect, { ...result.epochs.at(-1) }, result.final);
    const peak = peakRssMb();
    const warnings = [explosiveGrowth(result)].filter((warning) => warning !== null);
    runDir.writeJson(SUMMARY_FILE, runSummary(loaded, experiment, { status: "completed", history: result, result, expectations, warnings, peakRssMb: peak }));
    return { result, runDir: runDir.path, peakRssMb: peak, expectations, warnings };
  } catch (error) {
    if (error instanceof DivergenceError) {
      runDir.writeHistory(error.history, stepsPerEpoch);
      runDir.writeJson(SUMMARY_FILE, runSummary(loaded, experiment, { status: "diverged", error: error.message, history: error.history, peakRssMb: peakRssMb() }));
    }
    // A full disk: the summary still says so if it can (the error itself is reported either way).
    if (error instanceof OutputWriteError) runDir.writeJsonIfPossible(SUMMARY_FILE, runSummary(loaded, experiment, { status: "failed", error: error.message, history: runDir.writtenHistory(seen), peakRssMb: peakRssMb() }));
    throw error;
  } finally {
    runDir.release();
  }
}
