import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { backendEntry, BACKEND_NAMES, type BackendName } from "@crossprop/backends";
import { ConfigError, loadConfig } from "@crossprop/config";
import type { RunSummary } from "@crossprop/run";
import type { Outcome } from "./measurement.ts";
import { CLI_NODE_FLAGS } from "../src/node-flags.ts";

const CLI = fileURLToPath(new URL("../bin/crossprop.js", import.meta.url));

/** Engines the bench asks for (`--set <backend>.engine=…`): the compiled kernels and plain TypeScript. */
const ENGINES = ["wasm", "typescript"] as const;

/** One row of the side-by-side table: a backend, and the engine it is told to use (null = its default). */
export interface Variant {
  label: string;
  backend: BackendName;
  sets: string[];
}

/**
 * Every backend × engine the config accepts. A backend that lists engines is asked for those of
 * ENGINES it lists; one that lists none yet is asked for all of them. An engine setting the config
 * rejects (no `<backend>.engine` key yet, or not among its values) is skipped with a note; a backend
 * left with no engine runs once on its default, so every backend gets a row.
 */
export function engineVariants(configPath: string, sets: readonly string[]): { variants: Variant[]; notes: string[] } {
  const variants: Variant[] = [];
  const notes: string[] = [];
  for (const backend of BACKEND_NAMES) {
    const listed = backendEntry(backend).supports.engines;
    const wanted = listed.length > 0 ? ENGINES.filter((engine) => listed.includes(engine)) : ENGINES;
    const rejected: string[] = [];
    const accepted = wanted.flatMap((engine) => {
      const set = `${backend}.engine=${engine}`;
      const rejection = configRejects(configPath, [...sets, set]);
      if (rejection) rejected.push(`${engine} (${rejection})`);
      return rejection ? [] : [{ label: `${backend} engine=${engine}`, backend, sets: [set] }];
    });
    if (rejected.length > 0) {
      const fallback = accepted.length > 0 ? "" : "; ran its default engine";
      notes.push(`${backend}: the config rejects --set ${backend}.engine= ${rejected.join(", ")}: skipped${fallback}`);
    }
    variants.push(...(accepted.length > 0 ? accepted : [{ label: `${backend} (default engine)`, backend, sets: [] }]));
  }
  return { variants, notes };
}

/** Why the CLI would exit 2 on these overrides (the same loader), e.g. "unknown key", or null if it accepts them. */
function configRejects(configPath: string, sets: readonly string[]): string | null {
  try {
    loadConfig(configPath, sets);
    return null;
  } catch (error) {
    if (error instanceof ConfigError) return error.issues[0]?.message.split(";")[0] ?? error.message;
    throw error;
  }
}

/** The line of a failed run's stderr that says what went wrong (not the "internal error" banner or a stack frame). */
function firstError(stderr: string): string {
  const lines = stderr.trim().split("\n");
  const line = lines.find((l) => /error\b/i.test(l) && !l.startsWith("internal error")) ?? lines.at(-1) ?? "no output";
  return line.trim().slice(0, 200);
}

/** The training seconds of each record of a run's metrics.jsonl (one per epoch: the bench evaluates once an epoch). */
function epochSeconds(file: string): number[] {
  return readFileSync(file, "utf8").split("\n").filter((line) => line.trim() !== "").map((line) => (JSON.parse(line) as { seconds: number }).seconds);
}

/** Trains through the real CLI in a process of its own (so peak RSS is this run's) and reads its summary.json. */
export function runCrossprop(configPath: string, backend: BackendName, sets: readonly string[], out: string): Outcome {
  const args = [CLI, "run", configPath, "--backend", backend, ...sets.flatMap((set) => ["--set", set]), "--quiet", "--out", out];
  const child = spawnSync(process.execPath, [...CLI_NODE_FLAGS, ...args], { encoding: "utf8" });
  const summaryFile = `${out}/summary.json`;
  // Exit 1 = an expect: bound missed, which a 1-epoch bench run usually does; the timings still stand.
  if ((child.status !== 0 && child.status !== 1) || !existsSync(summaryFile)) {
    return { failed: `exit ${child.status ?? child.signal}: ${firstError(child.stderr)}` };
  }
  const summary = JSON.parse(readFileSync(summaryFile, "utf8")) as RunSummary;
  if (summary.status !== "completed" || summary.seconds_per_epoch === null || summary.samples_per_second === null) {
    return { failed: summary.error ?? summary.status };
  }
  return {
    engine: summary.engine ?? "?",
    secondsPerEpoch: summary.seconds_per_epoch,
    epochSeconds: epochSeconds(`${out}/metrics.jsonl`),
    samplesPerSecond: summary.samples_per_second,
    peakRssMb: summary.process_peak_rss_mb,
    validAccuracy: summary.final.valid_accuracy,
  };
}
