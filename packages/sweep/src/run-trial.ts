import { rmSync } from "node:fs";
import { InterruptedError, UserError, type StopSignal } from "@crossprop/core";
import { parseConfig, prepareExperiment, withConfigLocation } from "@crossprop/config";
import { DivergenceError, RunDirectory, runToDirectory } from "@crossprop/run";
import { trialReport } from "./trial-report.ts";
import { withoutSweep } from "./trial-config.ts";

/** Everything a worker needs to run one trial; plain data, so it crosses a thread boundary. */
export interface TrialRequest {
  file: string;
  /** The sweep config's text, as planned (not re-read: the file may change mid-sweep). */
  text: string;
  sets: string[];
  /** The trial's run directory (absolute, or relative to the working directory). */
  dir: string;
  /** Kernel threads when the trial's training.threads is null (trials share the cores; results do not depend on it). */
  threads?: number;
  /** Write the trial's report.html once it finished (false: `--no-report`). */
  report?: boolean;
}

/** How a trial ended; metrics are read from the summary.json it wrote. */
export interface TrialOutcome {
  /** interrupted: the sweep was stopped (SIGINT/SIGTERM) while it ran; it runs again on resume. */
  status: "completed" | "diverged" | "failed" | "interrupted";
  error: string | null;
  /** Problems that cost the trial nothing (its report.html could not be written); the CLI prints each as `warning:`. */
  warnings?: string[];
}

/**
 * Runs one trial as a fresh, deterministic `crossprop run` into `dir`: the config re-parsed from
 * the same text and overrides, its sweep section stripped, any earlier partial run removed.
 * A finished (completed or diverged) trial gets its report.html unless `report` is false.
 * Never throws: a divergence or any error becomes the outcome, so the sweep goes on.
 */
export async function runTrial(request: TrialRequest, signal?: StopSignal): Promise<TrialOutcome> {
  try {
    rmSync(request.dir, { recursive: true, force: true });
    // The plan checked every trial against the memory limit the command was given.
    const loaded = withoutSweep(parseConfig(request.text, request.file, request.sets, { memoryLimit: null }));
    const prepared = withConfigLocation(loaded, () => prepareExperiment(loaded.config));
    const experiment = loaded.config.training.threads === null && request.threads ? { ...prepared, threads: request.threads } : prepared;
    const runDir = RunDirectory.create({ out: request.dir, name: loaded.config.name, backend: loaded.config.backend });
    await runToDirectory(loaded, experiment, runDir, {}, signal ? { signal } : {});
    return { status: "completed", error: null, ...(await trialReport(request)) };
  } catch (error) {
    if (error instanceof DivergenceError) return { status: "diverged", error: error.message, ...(await trialReport(request)) };
    if (error instanceof InterruptedError) return { status: "interrupted", error: error.message };
    if (error instanceof UserError) return { status: "failed", error: error.message };
    return { status: "failed", error: `internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}` };
  }
}
