import { UserError } from "./errors.ts";

/** The signals a run stops cleanly on; each exits 128 + its number, as a shell reports it. */
export type StopSignalName = "SIGINT" | "SIGTERM";

/** 128 + the signal's number: 130 for SIGINT, 143 for SIGTERM. */
export function signalExitCode(name: StopSignalName): number {
  return name === "SIGINT" ? 130 : 143;
}

/**
 * What long-running library code polls between steps: an AbortSignal, or anything shaped like one
 * (a flag in shared memory, in a worker thread). `reason` names the signal when it is one.
 */
export interface StopSignal {
  readonly aborted: boolean;
  readonly reason?: unknown;
}

/** The run was asked to stop (Ctrl-C, SIGTERM): exits 130 / 143 with one line. */
export class InterruptedError extends UserError {
  constructor(
    readonly signal: StopSignalName,
    message: string,
  ) {
    super(message, signalExitCode(signal));
    this.name = "InterruptedError";
  }
}

/** The signal a stop names: its `reason` when that is SIGINT or SIGTERM, else SIGINT. */
export function stopSignalName(stop: StopSignal): StopSignalName {
  return stop.reason === "SIGTERM" ? "SIGTERM" : "SIGINT";
}

/** How often a training loop lets the event loop run (signal handlers, worker messages), at most. */
const YIELD_EVERY_MS = 50;

/**
 * Lets pending events run, at most every 50 ms. A training loop awaits only promises that are
 * already resolved, so without this Node never runs a signal handler until the loop ends.
 */
export class EventLoopYield {
  private last = performance.now();

  async maybe(): Promise<void> {
    const now = performance.now();
    if (now - this.last < YIELD_EVERY_MS) return;
    await new Promise<void>((resolve) => setImmediate(resolve));
    this.last = performance.now();
  }
}
