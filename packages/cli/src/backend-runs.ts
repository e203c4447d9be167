import { DivergenceError, type RunOutcome } from "@crossprop/run";

/** Where a backend's run stopped: the step whose loss or parameters were not finite. */
export interface Divergence {
  /** 1-based step the train loop stopped at. */
  step: number;
  /** Evaluations recorded before it. */
  evaluations: number;
  runDir: string;
  error: DivergenceError;
}

/** One backend's column in `run --backend a,b,…`: its finished run, or where it diverged. */
export type BackendRun = { label: string; outcome: RunOutcome } | { label: string; diverged: Divergence };

/**
 * Trains one backend of several; a divergence becomes its column instead of ending the command,
 * so the backends after it still train and the comparison shows which diverged where. Any other
 * error still ends the command.
 */
export async function backendRun(label: string, runDir: string, train: () => Promise<RunOutcome>): Promise<BackendRun> {
  try {
    return { label, outcome: await train() };
  } catch (error) {
    if (!(error instanceof DivergenceError)) throw error;
    // The history holds the steps before the one that diverged.
    return { label, diverged: { step: error.history.stepLosses.length + 1, evaluations: error.history.epochs.length, runDir, error } };
  }
}

/** A line of comparison.json. */
export function comparisonEntry(run: BackendRun): Record<string, unknown> {
  if ("diverged" in run) {
    const { step, runDir, error } = run.diverged;
    return { backend: run.label, status: "diverged", diverged_at_step: step, error: error.message, run_dir: runDir };
  }
  const { result, runDir, peakRssMb, warnings } = run.outcome;
  return {
    backend: run.label,
    status: "completed",
    run_dir: runDir,
    engine: result.engine,
    final: result.epochs.at(-1),
    seconds_per_epoch: result.secondsPerEpoch,
    samples_per_second: result.samplesPerSecond,
    // The whole process's peak when this backend had finished: it includes the backends trained before it.
    process_peak_rss_mb: Math.round(peakRssMb),
    warnings,
  };
}
