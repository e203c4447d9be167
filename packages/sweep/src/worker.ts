import { parentPort, workerData } from "node:worker_threads";
import type { StopSignal } from "@crossprop/core";
import { STOP_CODES } from "./pool.ts";
import { runTrial, type TrialRequest } from "./run-trial.ts";

/** Set once per worker: the sweep config every trial is parsed from. */
export interface WorkerData {
  file: string;
  text: string;
  /** Kernel threads per trial when its config leaves training.threads null: the cores shared among the workers. */
  threads: number;
  /** Write each finished trial's report.html (false: `--no-report`). */
  report?: boolean;
  /** Set by the pool (STOP_CODES) when the sweep is interrupted; 0 while it runs. */
  stop?: Int32Array;
}

/** A job sent to a worker: one trial; the worker answers with its TrialOutcome. */
export type WorkerJob = Pick<TrialRequest, "sets" | "dir">;

// One trial at a time per worker: the pool sends the next job only after this one answered.
const { file, text, threads, report, stop } = workerData as WorkerData;
// The train loop polls this between steps, reading the flag the pool sets in shared memory.
const signal: StopSignal = {
  get aborted() {
    return stop !== undefined && Atomics.load(stop, 0) !== 0;
  },
  get reason() {
    return stop !== undefined && Atomics.load(stop, 0) === STOP_CODES.SIGTERM ? "SIGTERM" : "SIGINT";
  },
};
parentPort!.on("message", (job: WorkerJob) => {
  void runTrial({ file, text, threads, report, ...job }, signal).then((outcome) => parentPort!.postMessage(outcome));
});
