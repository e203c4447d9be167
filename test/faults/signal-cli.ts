import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { repoRoot } from "../cli/helpers.ts";

export const bin = join(repoRoot, "packages/cli/bin/crossprop.js");

export interface Ended {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** From the last signal sent to the exit, in ms. */
  msAfterSignal: number;
}

/**
 * A running process (the CLI, or a chain of processes above it) whose output is collected, so a
 * test can wait for a line (the first epoch), send a signal, and time the exit. Killed with
 * SIGKILL after `timeoutMs`, so a hang fails the test instead of stalling the suite.
 */
export class Running {
  readonly child: ChildProcess;
  stdout = "";
  stderr = "";
  private signalledAt = 0;
  private readonly ended: Promise<Ended>;

  constructor(command: string, args: string[], options: { cwd?: string; timeoutMs?: number } = {}) {
    const cwd = options.cwd ?? repoRoot;
    this.child = spawn(command, args, { cwd, env: { ...process.env, INIT_CWD: cwd }, stdio: ["pipe", "pipe", "pipe"] });
    this.child.stdout!.on("data", (data: Buffer) => (this.stdout += data.toString()));
    this.child.stderr!.on("data", (data: Buffer) => (this.stderr += data.toString()));
    const killer = setTimeout(() => this.child.kill("SIGKILL"), options.timeoutMs ?? 60_000);
    this.ended = new Promise((resolve) => {
      this.child.on("close", (code, signal) => {
        clearTimeout(killer);
        resolve({ code, signal, stdout: this.stdout, stderr: this.stderr, msAfterSignal: performance.now() - this.signalledAt });
      });
    });
  }

  /** The CLI itself, on node. */
  static cli(args: string[], options: { cwd?: string; timeoutMs?: number } = {}): Running {
    return new Running(process.execPath, [bin, ...args], options);
  }

  /** Resolves once stdout + stderr match `pattern` (polled); rejects if the process ends first. */
  async waitFor(pattern: RegExp, timeoutMs = 60_000): Promise<void> {
    const deadline = performance.now() + timeoutMs;
    while (!pattern.test(this.stdout + this.stderr)) {
      if (this.child.exitCode !== null || this.child.signalCode !== null) throw new Error(`ended before ${pattern}: ${this.stderr}`);
      if (performance.now() > deadline) throw new Error(`no ${pattern} within ${timeoutMs} ms: ${this.stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  signal(name: NodeJS.Signals): void {
    this.signalledAt = performance.now();
    this.child.kill(name);
  }

  end(): Promise<Ended> {
    return this.ended;
  }
}

/** No stack trace and no "internal error" anywhere in the output. */
export function noStackTrace(ended: Ended): boolean {
  const all = `${ended.stdout}\n${ended.stderr}`;
  return !/\n\s+at /.test(all) && !all.includes("internal error");
}

/** Whether a pid is alive (signal 0 checks without sending). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
