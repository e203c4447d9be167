import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { repoRoot, tempDir } from "../cli/helpers.ts";

const bin = join(repoRoot, "packages/cli/bin/crossprop.js");
const reporter = join(repoRoot, "test/faults/report-rss.mjs");

export interface BoundedResult {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** The CLI process's peak resident set, in MB (null if it did not exit by itself). */
  peakRssMb: number | null;
  /** Wall time in ms. */
  ms: number;
}

/**
 * Runs the real CLI in `cwd` with a hard time bound (SIGKILL at `timeoutMs`) and reports its peak
 * memory: a preloaded module writes process.resourceUsage().maxRSS on exit, so a test can assert
 * that a refusal came before the allocation, not after it.
 */
export function boundedCli(args: string[], options: { cwd?: string; timeoutMs?: number; env?: Record<string, string> } = {}): BoundedResult {
  const rssFile = join(tempDir("crossprop-rss-"), "rss");
  const started = Date.now();
  const result = spawnSync(process.execPath, ["--import", reporter, bin, ...args], {
    cwd: options.cwd ?? repoRoot,
    encoding: "utf8",
    timeout: options.timeoutMs ?? 30_000,
    killSignal: "SIGKILL",
    env: { ...process.env, INIT_CWD: options.cwd ?? repoRoot, CROSSPROP_RSS_FILE: rssFile, ...options.env },
  });
  const ms = Date.now() - started;
  const peakRssMb = existsSync(rssFile) ? Number(readFileSync(rssFile, "utf8")) / 1024 : null;
  rmSync(join(rssFile, ".."), { recursive: true, force: true });
  return { status: result.status, signal: result.signal, stdout: result.stdout, stderr: result.stderr, peakRssMb, ms };
}

/** No stack trace and no "internal error" anywhere in the output. */
export function hasNoStackTrace(result: BoundedResult): boolean {
  const all = `${result.stdout}\n${result.stderr}`;
  return !/\n\s+at /.test(all) && !all.includes("internal error");
}
