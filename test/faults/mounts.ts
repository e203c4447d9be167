import { spawnSync } from "node:child_process";
import { mkdirSync, openSync, closeSync, writeSync } from "node:fs";
import { join } from "node:path";
import { repoRoot, tempDir } from "../cli/helpers.ts";

const bin = join(repoRoot, "packages/cli/bin/crossprop.js");

export interface TimedResult {
  status: number | null;
  stdout: string;
  stderr: string;
  /** True when the spawn's timeout killed it: the hang the case guards against. */
  timedOut: boolean;
}

/** The CLI as a user runs it, killed after `timeoutMs` (a hang fails the case instead of the suite). */
export function crosspropWithin(args: string[], options: { cwd?: string; env?: Record<string, string | undefined>; timeoutMs?: number } = {}): TimedResult {
  const cwd = options.cwd ?? repoRoot;
  const result = spawnSync(process.execPath, [bin, ...args], {
    cwd,
    encoding: "utf8",
    timeout: options.timeoutMs ?? 30_000,
    killSignal: "SIGKILL",
    env: { ...process.env, INIT_CWD: cwd, ...options.env },
  });
  return { status: result.status, stdout: result.stdout ?? "", stderr: result.stderr ?? "", timedOut: result.error !== undefined && (result.error as NodeJS.ErrnoException).code === "ETIMEDOUT" };
}

/** No stack trace and no "internal error": the bug class these cases eliminate. */
export const stackTrace = /\n\s+at |internal error/;

/**
 * A tmpfs mounted at a fresh directory (root only: chmod does not stop root, a mount does);
 * `unmount()` in afterAll. Returns null where mounting is not allowed, so the caller can say so.
 */
export function tmpfs(options: string): { dir: string; unmount: () => void } | null {
  const dir = join(tempDir("crossprop-mount-"), "mnt");
  mkdirSync(dir);
  const mounted = spawnSync("mount", ["-t", "tmpfs", "-o", options, "tmpfs", dir], { encoding: "utf8" });
  if (mounted.status !== 0) return null;
  return { dir, unmount: () => void spawnSync("umount", ["-l", dir]) };
}

/** Fills the file system at `dir` to the last byte (tmpfs: then even a page-sized file fails with ENOSPC). */
export function fill(dir: string): void {
  const fd = openSync(join(dir, "filler"), "w");
  const block = new Uint8Array(4096);
  try {
    for (;;) writeSync(fd, block);
  } catch {
    // ENOSPC: full
  } finally {
    closeSync(fd);
  }
}
