import { Worker } from "node:worker_threads";
import type { TrialOutcome } from "./run-trial.ts";
import type { WorkerData, WorkerJob } from "./worker.ts";

export interface PoolJob<T> extends WorkerJob {
  /** What the caller wants back with the outcome (the planned trial). */
  tag: T;
}

export interface PoolOptions<T> {
  workers: number;
  shared: WorkerData;
  onStart?(tag: T): void;
  /** Called as each job ends, in finishing order; return false to start no further jobs. */
  onFinish(tag: T, outcome: TrialOutcome, seconds: number): boolean | void;
}

const entry = new URL("./worker-entry.mjs", import.meta.url);

/**
 * Runs `jobs` on up to `workers` worker threads, handing the next job in order to whichever
 * worker is free. A worker that crashes fails its job and is replaced. Resolves when every
 * started job has ended; jobs never started (after onFinish returned false) are left out.
 */
export async function runInWorkers<T>(jobs: readonly PoolJob<T>[], options: PoolOptions<T>): Promise<void> {
  const queue = [...jobs];
  let stopped = false;
  const lane = async () => {
    let worker: Worker | null = null;
    try {
      while (!stopped && queue.length > 0) {
        const { tag, ...job } = queue.shift()!;
        options.onStart?.(tag);
        // execArgv: [] — the entry registers tsx itself; inherited loader flags would chain a second one.
        worker ??= new Worker(entry, { workerData: options.shared, execArgv: [] });
        const started = performance.now();
        let outcome: TrialOutcome;
        try {
          outcome = await send(worker, job);
        } catch (error) {
          void worker.terminate();
          worker = null;
          outcome = { status: "failed", error: `the worker thread crashed: ${error instanceof Error ? error.message : String(error)}` };
        }
        if (options.onFinish(tag, outcome, (performance.now() - started) / 1000) === false) stopped = true;
      }
    } finally {
      await worker?.terminate();
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.workers, jobs.length) }, lane));
}

/** Posts one job and waits for its answer, or for the worker to fail. */
function send(worker: Worker, job: WorkerJob): Promise<TrialOutcome> {
  return new Promise((resolve, reject) => {
    const cleanup = () => {
      worker.off("message", onMessage);
      worker.off("error", onError);
      worker.off("exit", onExit);
    };
    const onMessage = (outcome: TrialOutcome) => {
      cleanup();
      resolve(outcome);
    };
    const onError = (error: Error) => {
      cleanup();
      reject(error);
    };
    const onExit = (code: number) => {
      cleanup();
      reject(new Error(`it exited with code ${code}`));
    };
    worker.on("message", onMessage);
    worker.on("error", onError);
    worker.on("exit", onExit);
    worker.postMessage(job);
  });
}
