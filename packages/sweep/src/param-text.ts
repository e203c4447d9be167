import { stringify } from "yaml";

/** One swept value of a trial: the dotted path it is written to and the value. */
export interface TrialParam {
  path: string;
  value: unknown;
}

/**
 * The `--set` text that writes `value` at `path`. The value goes through YAML (flow style, one
 * line) because that is how parseOverride reads it back: "1.0" stays a string, 1e-30 a number.
 */
export function overrideText({ path, value }: TrialParam): string {
  return `${path}=${stringify(value, { collectionStyle: "flow", lineWidth: 0 }).trimEnd()}`;
}

/** A value as tables and file names show it: `manual`, `0.05`, `[128,64]`. */
export function displayValue(value: unknown): string {
  if (typeof value === "string") return value;
  if (typeof value === "number" && !Number.isFinite(value)) return String(value);
  return JSON.stringify(value) ?? String(value);
}

/** `optimizer.lr=0.05 training.batch_size=32`: a trial's parameters on one line. */
export function describeParams(params: readonly TrialParam[]): string {
  return params.map(({ path, value }) => `${path}=${displayValue(value)}`).join(" ");
}
