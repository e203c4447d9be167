import { parentPort, workerData } from "node:worker_threads";
import { runTrial, type TrialRequest } from "./run-trial.ts";

/** Set once per worker: the sweep config every trial is parsed from. */
export interface WorkerData {
  file: string;
  text: string;
}

/** A job sent to a worker: one trial; the worker answers with its TrialOutcome. */
export type WorkerJob = Pick<TrialRequest, "sets" | "dir">;

// One trial at a time per worker: the pool sends the next job only after this one answered.
const { file, text } = workerData as WorkerData;
parentPort!.on("message", (job: WorkerJob) => {
  void runTrial({ file, text, ...job }).then((outcome) => parentPort!.postMessage(outcome));
});
