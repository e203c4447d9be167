import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import { UserError } from "@crossprop/core";

/** What `crossprop report PATH` was given; each kind has its own page (docs/run-directory.md#reports). */
export type ReportKind = "run" | "comparison" | "sweep" | "check";

export interface ReportTarget {
  kind: ReportKind;
  path: string;
  /** Where the report goes unless --out says otherwise. */
  defaultOut: string;
}

/**
 * Tells a run directory (summary.json), a comparison directory (comparison.json), a sweep directory
 * (results.json) and a check report (a JSON file from `check --json`) apart; anything else is a
 * UserError (exit 2) that says what each kind holds.
 */
export function reportTarget(path: string): ReportTarget {
  if (!existsSync(path)) throw new UserError(`${path}: no such file or directory`);
  const stat = statSync(path);
  if (stat.isFile()) {
    if (!path.endsWith(".json")) throw new UserError(`${path}: not something crossprop reports on: give a run, comparison or sweep directory, or a check report (.json from check --json)`);
    return { kind: "check", path, defaultOut: path.replace(/\.json$/, ".html") };
  }
  if (!stat.isDirectory()) throw new UserError(`${path}: not a directory or a file`);
  const has = (file: string) => existsSync(join(path, file));
  if (has("summary.json")) return { kind: "run", path, defaultOut: join(path, "report.html") };
  if (has("comparison.json")) return { kind: "comparison", path, defaultOut: join(path, "report.html") };
  if (has("results.json")) return { kind: "sweep", path, defaultOut: join(path, "results.html") };
  throw new UserError(`${path} is not a run directory (summary.json), a comparison directory (comparison.json) or a sweep directory (results.json)`);
}
