import { existsSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { UserError } from "@crossprop/core";
import { readRunFiles, type RunFiles } from "./run-files.ts";

/** A line of comparison.json (packages/cli/src/backend-runs.ts comparisonEntry), as far as the page uses it. */
interface ComparisonEntry {
  backend: string;
  status: "completed" | "diverged";
  run_dir: string;
  diverged_at_step?: number;
  error?: string;
}

/** One backend of a comparison: its label, how it ended, and its run directory's files. */
export interface ComparedBackend {
  label: string;
  status: "completed" | "diverged";
  /** The step whose loss or parameters were not finite (diverged backends only). */
  divergedAtStep: number | null;
  error: string | null;
  /** The backend's run directory, relative to the comparison directory when it lies inside it. */
  relativeDir: string | null;
  files: RunFiles;
}

/**
 * Reads a comparison directory (`run --backend a,b,…`): comparison.json lists the backends in the
 * order they trained; each one's run directory is looked up inside the comparison directory first
 * (so a moved or copied comparison still reads), then at the path comparison.json recorded.
 */
export function readComparison(dir: string): ComparedBackend[] {
  const file = join(dir, "comparison.json");
  let entries: unknown;
  try {
    entries = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new UserError(`${file}: not readable as JSON (${(error as Error).message.split("\n")[0]})`);
  }
  if (!Array.isArray(entries) || entries.length === 0 || !entries.every(isEntry)) {
    throw new UserError(`${file}: not a comparison (a list of backends, each with backend, status and run_dir)`);
  }
  return entries.map((entry) => {
    const inside = join(dir, basename(entry.run_dir));
    const local = existsSync(join(inside, "summary.json"));
    return {
      label: entry.backend,
      status: entry.status,
      divergedAtStep: entry.diverged_at_step ?? null,
      error: entry.error ?? null,
      relativeDir: local ? basename(entry.run_dir) : null,
      files: readRunFiles(local ? inside : entry.run_dir),
    };
  });
}

function isEntry(value: unknown): value is ComparisonEntry {
  const entry = value as Partial<ComparisonEntry> | null;
  return typeof entry === "object" && entry !== null && typeof entry.backend === "string" && typeof entry.run_dir === "string" && (entry.status === "completed" || entry.status === "diverged");
}
