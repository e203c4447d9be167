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
  /**
   * Once aborted (reason SIGINT or SIGTERM), no further job starts and the running ones stop after
   * their current step, each answering `interrupted`; one that has not answered within
   * STOP_GRACE_MS is terminated.
   */
  signal?: AbortSignal;
  onStart?(tag: T): void;
  /** Called as each job ends, in finishing order; return false to start no further jobs. */
  onFinish(tag: T, outcome: TrialOutcome, seconds: number): boolean | void;
}

const entry = new URL("./worker-entry.mjs", import.meta.url);

/** What the stop flag in shared memory holds: which signal stopped the sweep (0: none). */
export const STOP_CODES = { SIGINT: 1, SIGTERM: 2 } as const;

/** How long a stopping trial may take to write its summary before its worker is terminated. */
export const STOP_GRACE_MS = 3000;

/**
 * Runs `jobs` on up to `workers` worker threads, handing the next job in order to whichever
 * worker is free. A worker that crashes fails its job and is replaced. Resolves when every
 * started job has ended; jobs never started (after onFinish returned false) are left out.
 */
export async function runInWorkers<T>(jobs: readonly PoolJob<T>[], options: PoolOptions<T>): Promise<void> {
  const queue = [...jobs];
  let stopped = false;
  // Shared memory, so a worker sees the stop between two steps without its event loop turning.
  const stop = new Int32Array(new SharedArrayBuffer(4));
  const { signal } = options;
  const onAbort = () => {
    stopped = true;
    Atomics.store(stop, 0, signal?.reason === "SIGTERM" ? STOP_CODES.SIGTERM : STOP_CODES.SIGINT);
  };
  if (signal?.aborted) onAbort();
  signal?.addEventListener("abort", onAbort, { once: true });
  const lane = async () => {
    let worker: Worker | null = null;
    try {
      while (!stopped && queue.length > 0) {
        const { tag, ...job } = queue.shift()!;
        options.onStart?.(tag);
        // execArgv: [] — the entry registers tsx itself; inherited loader flags would chain a second one.
        worker ??= new Worker(entry, { workerData: { ...options.shared, stop } satisfies WorkerData, execArgv: [] });
        const started = performance.now();
        let outcome: TrialOutcome;
        try {
          outcome = await send(worker, job, signal);
        } catch (error) {
          void worker.terminate();
          worker = null;
          outcome =
            error instanceof StopTimeout
              ? { status: "interrupted", error: `interrupted by ${String(signal?.reason)}: the trial did not stop within ${STOP_GRACE_MS / 1000} s, its worker was terminated` }
              : { status: "failed", error: `the worker thread crashed: ${error instanceof Error ? error.message : String(error)}` };
        }
        if (options.onFinish(tag, outcome, (performance.now() - started) / 1000) === false) stopped = true;
      }
    } finally {
      await worker?.terminate();
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(options.workers, jobs.length) }, lane));
  } finally {
    signal?.removeEventListener("abort", onAbort);
  }
}

class StopTimeout extends Error {}

/** Posts one job and waits for its answer, or for the worker to fail, or STOP_GRACE_MS past a stop. */
function send(worker: Worker, job: WorkerJob, signal: AbortSignal | undefined): Promise<TrialOutcome> {
  return new Promise((resolve, reject) => {
    let timer: NodeJS.Timeout | null = null;
    const onAbort = () => {
      timer = setTimeout(() => {
        cleanup();
        reject(new StopTimeout());
      }, STOP_GRACE_MS);
    };
    const cleanup = () => {
      worker.off("message", onMessage);
      worker.off("error", onError);
      worker.off("exit", onExit);
      signal?.removeEventListener("abort", onAbort);
      if (timer) clearTimeout(timer);
    };
    if (signal?.aborted) onAbort();
    else signal?.addEventListener("abort", onAbort, { once: true });
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
