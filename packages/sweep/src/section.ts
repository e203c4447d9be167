import { formatPath, parsePath, positionOf, type ConfigDocument, type ConfigIssue, type ConfigPath } from "@crossprop/config";
import type { RandomParam, SweepSection } from "./random.ts";

/**
 * Rules about the `sweep:` section the schema cannot say: what a variant's `type` reads, range
 * order, a path swept in one place only. Each is small and named, like config/checks.ts, and
 * returns the path (as segments: swept paths are keys with dots) and the message.
 */
export interface SectionIssue {
  at: ConfigPath;
  message: string;
  on?: "key" | "value";
}

export type SectionCheck = (sweep: SweepSection) => SectionIssue[];

const randomAt = (path: string, field?: string): ConfigPath => ["sweep", "random", "params", path, ...(field ? [field] : [])];

export const sweepsSomething: SectionCheck = (sweep) =>
  Object.keys(sweep.grid).length === 0 && sweep.random === undefined
    ? [{ at: ["sweep"], message: "has nothing to sweep; add sweep.grid (path → list of values) or sweep.random" }]
    : [];

/** Keys are --set paths into the config; a trial cannot rewrite the sweep that made it. */
export const sweptPathsAreFields: SectionCheck = (sweep) => {
  const keys = [...Object.keys(sweep.grid).map((key) => ["grid", key]), ...Object.keys(sweep.random?.params ?? {}).map((key) => ["random", "params", key])];
  const issues: SectionIssue[] = [];
  for (const segments of keys) {
    const key = segments.at(-1)!;
    const path = parsePath(key);
    const at = ["sweep", ...segments];
    if (path === undefined) issues.push({ at, on: "key", message: `expected a dotted config path such as optimizer.lr or model.hidden[0], got ${JSON.stringify(key)}` });
    else if (path[0] === "sweep") issues.push({ at, on: "key", message: "a trial cannot change the sweep section itself" });
    // Bounds are not part of a trial's id (identity.ts): trials differing only in them are one trial.
    else if (path[0] === "expect") issues.push({ at, on: "key", message: "a pass/fail bound is not part of a trial, so it cannot be swept; set expect: once for every trial, or sweep.expect_best for the best" });
  }
  if (sweep.random && Object.keys(sweep.random.params).length === 0) {
    issues.push({ at: ["sweep", "random", "params"], message: "expected at least one path to draw, e.g. optimizer.lr: {type: log_uniform, low: 0.001, high: 1}" });
  }
  return issues;
};

/** choice reads `values`; the ranges read `low` and `high`. A field the type ignores is a mistake. */
export const randomFieldsMatchType: SectionCheck = (sweep) => {
  const issues: SectionIssue[] = [];
  for (const [path, param] of Object.entries(sweep.random?.params ?? {})) {
    const wanted: readonly (keyof RandomParam)[] = param.type === "choice" ? ["values"] : ["low", "high"];
    for (const field of ["values", "low", "high"] as const) {
      const written = param[field] !== undefined;
      if (wanted.includes(field) && !written) issues.push({ at: randomAt(path), message: `type ${param.type} needs ${field}` });
      if (!wanted.includes(field) && written) issues.push({ at: randomAt(path, field), on: "key", message: `is not used by type ${param.type} (${wanted.join(", ")} only)` });
    }
  }
  return issues;
};

export const randomRangesAreOrdered: SectionCheck = (sweep) => {
  const issues: SectionIssue[] = [];
  for (const [path, { type, low, high }] of Object.entries(sweep.random?.params ?? {})) {
    if (type === "choice" || low === undefined || high === undefined) continue;
    if (type === "int") {
      for (const [field, value] of [["low", low], ["high", high]] as const) {
        if (!Number.isInteger(value)) issues.push({ at: randomAt(path, field), message: `expected an integer for type int, got ${value}` });
      }
      if (low > high) issues.push({ at: randomAt(path, "low"), message: `${low} is greater than high ${high}` });
      continue;
    }
    if (low >= high) issues.push({ at: randomAt(path, "low"), message: `expected less than high ${high}, got ${low}` });
    if (type === "log_uniform" && low <= 0) issues.push({ at: randomAt(path, "low"), message: `expected > 0 for type log_uniform (it draws ln low), got ${low}` });
  }
  return issues;
};

/** A path in both grid and random would be written twice per trial, the draw silently winning. */
export const sweptInOnePlace: SectionCheck = (sweep) =>
  Object.keys(sweep.random?.params ?? {})
    .filter((path) => path in sweep.grid)
    .map((path) => ({ at: randomAt(path), on: "key", message: "is also in sweep.grid; sweep each path in one place" }));

export const expectBestMinNotAboveMax: SectionCheck = (sweep) =>
  Object.entries(sweep.expect_best)
    .filter(([, bounds]) => bounds?.min !== undefined && bounds.max !== undefined && bounds.min > bounds.max)
    .map(([metric, bounds]) => ({ at: ["sweep", "expect_best", metric, "min"], message: `${bounds!.min} is greater than max ${bounds!.max}, so no trial can pass` }));

export const sectionChecks: Readonly<Record<string, SectionCheck>> = {
  sweepsSomething,
  sweptPathsAreFields,
  randomFieldsMatchType,
  randomRangesAreOrdered,
  sweptInOnePlace,
  expectBestMinNotAboveMax,
};

/** Every section issue, pinned to its line:column in the file when it was written there. */
export function checkSection(sweep: SweepSection, document: ConfigDocument, file: string): ConfigIssue[] {
  return Object.values(sectionChecks)
    .flatMap((check) => check(sweep))
    .map(({ at, on, message }) => {
      const position = positionOf(document, at, on ?? "value");
      return { path: formatPath(at), origin: file, ...(position ? { line: position.line, column: position.column } : {}), message };
    });
}
