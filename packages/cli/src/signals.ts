import { signalExitCode, type StopSignalName } from "@crossprop/core";
import { restoreCursor } from "./progress.ts";

/**
 * The CLI's one place for SIGINT and SIGTERM. The first aborts `stopSignal`: library code polls it
 * between training steps and stops cleanly (summary.json `interrupted`, a sweep's results.json
 * with the rest `not_run`), and the command exits 130 / 143 with one line. A second signal exits
 * at once. The terminal (the progress bar's hidden cursor) is restored on every exit path.
 * Library code never exits the process: it only reads the flag.
 */
const controller = new AbortController();

/** Aborted, with the signal's name as its reason, by the first SIGINT or SIGTERM. */
export const stopSignal: AbortSignal = controller.signal;

/**
 * A second signal this soon after the first is the same one delivered twice: Ctrl-C reaches every
 * process of the terminal's foreground group, and pnpm or npm above crossprop forwards it again.
 */
const REPEAT_AFTER_MS = 500;

let first: { name: StopSignalName; at: number } | null = null;
let installed = false;

/** Installs the handlers (once, in the CLI's process only: tests calling `main` in-process do not). */
export function installSignalHandlers(stream: NodeJS.WriteStream = process.stderr): void {
  if (installed) return;
  installed = true;
  for (const name of ["SIGINT", "SIGTERM"] as const) process.on(name, () => onSignal(name, stream));
  process.on("exit", () => restoreCursor(first !== null));
}

function onSignal(name: StopSignalName, stream: NodeJS.WriteStream): void {
  const now = performance.now();
  if (first === null) {
    first = { name, at: now };
    controller.abort(name);
    return;
  }
  if (now - first.at < REPEAT_AFTER_MS) return;
  restoreCursor(true);
  stream.write(`error: ${name} again: exiting at once, without waiting for the current step\n`);
  process.exit(signalExitCode(name));
}

/**
 * The exit code once the command has returned `code`: a signal's 130 / 143 if one stopped it. A
 * signal that came when nothing was left to stop (the last files written) still ends the process
 * as interrupted, with its one line.
 */
export function exitCodeAfterSignals(code: number, stream: NodeJS.WriteStream = process.stderr): number {
  if (first === null) return code;
  const wanted = signalExitCode(first.name);
  if (code !== wanted) stream.write(`error: interrupted by ${first.name}\n`);
  return wanted;
}
