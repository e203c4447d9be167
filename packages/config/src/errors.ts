import { UserError } from "@crossprop/core";

/** One thing wrong with a config, pinned to where the user wrote it. */
export interface ConfigIssue {
  /** Dotted path of the field, e.g. "training.batch_size" or "model.hidden[1]"; "" for the whole file. */
  path: string;
  /** 1-based position in the YAML file; absent when the value came from --set or the file as a whole. */
  line?: number;
  column?: number;
  /** The config file path, or the override it came from ("--set training.batch_size=0"). */
  origin: string;
  /** What was expected and what was found. */
  message: string;
  /** A close match for a misspelled key or enum value. */
  suggestion?: string;
}

/** `configs/bad.yaml:9:15: training.batch_size: expected an integer ≥ 1, got 0` */
export function formatIssue(issue: ConfigIssue): string {
  const where = issue.line === undefined ? issue.origin : `${issue.origin}:${issue.line}:${issue.column ?? 1}`;
  const field = issue.path === "" ? "" : `${issue.path}: `;
  const hint = issue.suggestion === undefined ? "" : ` — did you mean "${issue.suggestion}"?`;
  // One issue, one line: a --set value or a quoted key holding a line break is shown escaped.
  return `${where}: ${field}${issue.message}${hint}`.replace(/\r?\n|\r/g, (lineBreak) => JSON.stringify(lineBreak).slice(1, -1));
}

/** Every problem found in a config, reported together so one run fixes them all. Exit code 2. */
export class ConfigError extends UserError {
  readonly issues: readonly ConfigIssue[];

  constructor(issues: readonly ConfigIssue[]) {
    super(issues.map(formatIssue).join("\n"), 2);
    this.name = "ConfigError";
    this.issues = issues;
  }

  /** One line per issue, in the order found in the file, then the --set overrides. */
  format(): string {
    return this.issues.map(formatIssue).join("\n");
  }
}
