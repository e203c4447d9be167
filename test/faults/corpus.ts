import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";

/**
 * The corpus of bad configs and overrides: test/faults/corpus/<family>.yaml, each a list of cases.
 * A case is a config file (text, or base64 bytes for BOMs and binary junk), the --set overrides and
 * other arguments given with it, and every line the CLI must print — exact, with `{config}` for the
 * config's path and `{dir}` for its directory. Exit code 2 unless the case says otherwise.
 */
export interface CorpusCase {
  family: string;
  name: string;
  command: "run" | "check" | "sweep";
  /** The config file's bytes. */
  config: Buffer;
  set: string[];
  args: string[];
  /** Stderr, one entry per line, each printed as `error: <line>`. */
  errors: string[];
  exitCode: number;
  /** Also run through the spawned CLI (a sample; the rest run in-process through the same `main`). */
  spawn: boolean;
}

const corpusDir = fileURLToPath(new URL("./corpus/", import.meta.url));

/** The YAML every case's config defaults to: small MNIST subsets, so anything that gets past the checks stays cheap. */
export const BASE_CONFIG = "name: t\ndata: { train_size: 100, test_size: 100 }\ntraining: { epochs: 1 }\n";

const caseKeys = new Set(["name", "command", "config", "config_base64", "set", "args", "errors", "exit_code", "spawn"]);

export function loadCorpus(): CorpusCase[] {
  const cases: CorpusCase[] = [];
  for (const file of readdirSync(corpusDir).filter((f) => f.endsWith(".yaml")).sort()) {
    const family = file.replace(/\.yaml$/, "");
    const entries = parse(readFileSync(join(corpusDir, file), "utf8")) as Record<string, unknown>[];
    for (const entry of entries) cases.push(toCase(family, entry));
  }
  return cases;
}

/** One raw entry, checked strictly: a typo in the corpus must not silently weaken a case. */
function toCase(family: string, entry: Record<string, unknown>): CorpusCase {
  const where = `${family}: ${String(entry["name"])}`;
  const unknown = Object.keys(entry).filter((key) => !caseKeys.has(key));
  if (unknown.length > 0) throw new Error(`${where}: unknown corpus key(s) ${unknown.join(", ")}`);
  const strings = (key: string): string[] => {
    const value = entry[key] ?? [];
    if (!Array.isArray(value) || !value.every((v) => typeof v === "string")) throw new Error(`${where}: ${key} must be a list of strings`);
    return value;
  };
  const errors = strings("errors");
  if (typeof entry["name"] !== "string" || errors.length === 0) throw new Error(`${where}: needs a name and at least one expected error line`);
  const command = (entry["command"] ?? "run") as CorpusCase["command"];
  if (!["run", "check", "sweep"].includes(command)) throw new Error(`${where}: unknown command ${command}`);
  const base64 = entry["config_base64"];
  const text = entry["config"] ?? (base64 === undefined ? BASE_CONFIG : undefined);
  const config = typeof base64 === "string" ? Buffer.from(base64, "base64") : Buffer.from(String(text), "utf8");
  return {
    family,
    name: entry["name"],
    command,
    config,
    set: strings("set"),
    args: strings("args"),
    errors,
    exitCode: (entry["exit_code"] as number | undefined) ?? 2,
    spawn: entry["spawn"] === true,
  };
}

/** The argv of a case: the command, the config, its overrides and arguments, and outputs into `out`. */
export function caseArgv(testCase: CorpusCase, configPath: string, out: string): string[] {
  const outputs = testCase.command === "check" ? ["--json", `${out}.json`] : ["--out", out];
  return [testCase.command, configPath, ...testCase.set.flatMap((set) => ["--set", set]), ...testCase.args, ...outputs, "--quiet"];
}

/** The stderr a case expects, placeholders filled. */
export function expectedStderr(testCase: CorpusCase, configPath: string, dir: string): string {
  return testCase.errors.map((line) => `error: ${line.replaceAll("{config}", configPath).replaceAll("{dir}", dir)}\n`).join("");
}
