import { parentPort, workerData } from "node:worker_threads";
import { runTrial, type TrialRequest } from "./run-trial.ts";

/** Set once per worker: the sweep config every trial is parsed from. */
export interface WorkerData {
  file: string;
  text: string;
  /** Kernel threads per trial when its config leaves training.threads null: the cores shared among the workers. */
  threads: number;
}

/** A job sent to a worker: one trial; the worker answers with its TrialOutcome. */
export type WorkerJob = Pick<TrialRequest, "sets" | "dir">;

// One trial at a time per worker: the pool sends the next job only after this one answered.
const { file, text, threads } = workerData as WorkerData;
parentPort!.on("message", (job: WorkerJob) => {
  void runTrial({ file, text, threads, ...job }).then((outcome) => parentPort!.postMessage(outcome));
});
