import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const repoRoot = fileURLToPath(new URL("../../", import.meta.url));
const bin = join(repoRoot, "packages/cli/bin/crossprop.js");

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI as a user would, in `cwd` (default: the repo root). */
export function crossprop(args: string[], cwd = repoRoot): CliResult {
  const result = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: "utf8", env: { ...withoutLayout(process.env), INIT_CWD: cwd } });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

export function tempDir(prefix = "crossprop-test-"): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Writes a config into a fresh temp directory and returns its path. */
export function writeConfig(text: string, dir = tempDir()): string {
  const path = join(dir, "config.yaml");
  writeFileSync(path, text);
  return path;
}

/** The environment without COLUMNS: an exported width would change the layout every CLI test pins (80 columns off a terminal). */
export function withoutLayout(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { COLUMNS: _columns, ...rest } = env;
  return rest;
}
