import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigError, type ConfigIssue } from "./errors.ts";
import { loadConfig } from "./load.ts";

/** Test helpers: configs written inline in a test, saved under one temp dir per test file. */
let dir: string | undefined;
let count = 0;

/** Writes `text` to a fresh file under os.tmpdir() and returns its path. */
export function writeConfig(text: string): string {
  dir ??= mkdtempSync(join(tmpdir(), "crossprop-config-"));
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `config-${++count}.yaml`);
  writeFileSync(file, text);
  return file;
}

export function removeConfigs(): void {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
}

/** The issues loading `text` (with `sets`) reports, and the file they name; throws if it loads. */
export function issuesOf(text: string, sets: string[] = []): { file: string; issues: readonly ConfigIssue[]; message: string } {
  const file = writeConfig(text);
  try {
    loadConfig(file, sets);
  } catch (error) {
    if (error instanceof ConfigError) return { file, issues: error.issues, message: error.message };
    throw error;
  }
  throw new Error("expected a ConfigError, but the config loaded");
}
