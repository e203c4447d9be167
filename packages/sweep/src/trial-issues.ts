import { ConfigError, isPrefix, parsePath, positionOf, type ConfigDocument, type ConfigIssue, type ConfigPath } from "@crossprop/config";
import { canonicalJson } from "./identity.ts";
import { describeParams, overrideText, type TrialParam } from "./param-text.ts";
import type { SweepSection } from "./random.ts";

/** A planned trial whose config the schema or a check rejected. */
export interface TrialFailure {
  /** 1-based position among the sweep's points. */
  number: number;
  params: readonly TrialParam[];
  issues: readonly ConfigIssue[];
}

interface Context {
  sweep: SweepSection;
  document: ConfigDocument;
  file: string;
  total: number;
}

/**
 * One ConfigError for every invalid trial. An issue caused by a swept value points at that value
 * in sweep.grid (or at its sweep.random entry), not at an invisible --set; issues that are the same
 * in several trials are reported once, naming the trials.
 */
export function trialsError(failures: readonly TrialFailure[], context: Context): ConfigError {
  const groups = new Map<string, { issue: ConfigIssue; fromSweep: boolean; failures: TrialFailure[] }>();
  for (const failure of failures) {
    for (const raw of failure.issues) {
      const param = failure.params.find((p) => raw.origin === `--set ${overrideText(p)}`);
      const issue = sweptSourcesNamed(param ? atSweptValue(raw, param, context) : raw, failure.params, context);
      const key = canonicalJson(issue);
      const group = groups.get(key) ?? { issue, fromSweep: param !== undefined, failures: [] };
      if (!group.failures.includes(failure)) group.failures.push(failure);
      groups.set(key, group);
    }
  }
  const issues = [...groups.values()].map(({ issue, fromSweep, failures: inTrials }) => {
    // An issue every trial shares that no swept value caused is the base config's own.
    if (!fromSweep && inTrials.length === context.total) return issue;
    return { ...issue, message: `${issue.message} (${whichTrials(inTrials, context.total)})` };
  });
  // In file order, as a single config's issues are; then those of command-line --set values.
  const rank = (issue: ConfigIssue) => [issue.origin === context.file ? 0 : 1, issue.line ?? 0, issue.column ?? 0];
  return new ConfigError(issues.map((issue, i) => ({ issue, i })).sort((a, b) => compareRanks(rank(a.issue), rank(b.issue)) || a.i - b.i).map(({ issue }) => issue));
}

function compareRanks(a: number[], b: number[]): number {
  return a[0]! - b[0]! || a[1]! - b[1]! || a[2]! - b[2]!;
}

/** "in trial #3 of 12: optimizer.lr=-1 training.batch_size=32" or "in trials #3, #6 of 12". */
function whichTrials(failures: readonly TrialFailure[], total: number): string {
  if (failures.length === 1) return `in trial #${failures[0]!.number} of ${total}: ${describeParams(failures[0]!.params)}`;
  const numbers = failures.map((f) => `#${f.number}`);
  const shown = numbers.length > 8 ? [...numbers.slice(0, 8), "…"] : numbers;
  return `in trials ${shown.join(", ")} of ${total}`;
}

/**
 * A cross-field message quotes where the other field came from, "(--set optimizer.type=sgd)" for a
 * swept one: the user wrote no such --set, so it names the sweep entry instead.
 */
function sweptSourcesNamed(issue: ConfigIssue, params: readonly TrialParam[], { sweep, document }: Context): ConfigIssue {
  let message = issue.message;
  for (const param of params) {
    const inGrid = param.path in sweep.grid;
    const entry: ConfigPath = inGrid ? ["sweep", "grid", param.path] : ["sweep", "random", "params", param.path];
    const line = positionOf(document, entry, "key")?.line;
    message = message.replaceAll(`(--set ${overrideText(param)})`, `(swept in sweep.${inGrid ? "grid" : "random"}${line === undefined ? "" : `, line ${line}`})`);
  }
  return message === issue.message ? issue : { ...issue, message };
}

/**
 * The issue re-pointed at where `param` was written in the sweep section: at the value (or a
 * part of it, e.g. model.hidden[1]) when the issue is about the swept field or inside it; at the
 * key when it is about a field above it (a misspelled `optimzer` in optimzer.lr).
 */
function atSweptValue(issue: ConfigIssue, param: TrialParam, { sweep, document, file }: Context): ConfigIssue {
  const swept = parsePath(param.path) ?? [];
  const issuePath = parsePath(issue.path) ?? [];
  const inGrid = param.path in sweep.grid;
  const entry: ConfigPath = inGrid ? ["sweep", "grid", param.path] : ["sweep", "random", "params", param.path];
  // An unknown key named by the swept path itself (optimizer.lrr) is wrong whatever the value: the key.
  const aboutPath = isPrefix(issuePath, swept) && issue.message.startsWith("unknown key");
  const position = isPrefix(swept, issuePath) && !aboutPath ? valuePosition() : positionOf(document, entry, "key");
  const { origin: _origin, line: _line, column: _column, ...rest } = issue;
  return { ...rest, origin: file, ...(position ? { line: position.line, column: position.column } : {}) };

  /** The grid value itself (or the part the issue names); a random draw has only its entry. */
  function valuePosition() {
    if (!inGrid) return positionOf(document, entry, "value");
    const value = [...entry, sweep.grid[param.path]!.findIndex((candidate) => canonicalJson(candidate) === canonicalJson(param.value))];
    return positionOf(document, [...value, ...issuePath.slice(swept.length)], "value") ?? positionOf(document, value, "value");
  }
}
