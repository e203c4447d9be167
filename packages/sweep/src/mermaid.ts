import { displayValue } from "./param-text.ts";
import type { TrialRecord } from "./record.ts";
import { byRank, type SweepResults } from "./results.ts";

/** The most bars summary.md's chart shows: more are unreadable at a job summary's width. */
export const MERMAID_MAX_TRIALS = 50;

/** Labels longer than this fall back to the trial's `#index`. */
const MAX_LABEL = 12;

/**
 * The objective per trial as a Mermaid `xychart-beta` bar chart in a ```mermaid block, which
 * GitHub draws in a job summary; plan order, or the best MERMAID_MAX_TRIALS by rank when there are
 * more. Trials without an objective are named on a line below it. No lines when none has one.
 * Text goes in double quotes, which the grammar cannot escape: quotes (and backticks, which would end
 * the fence) become apostrophes. Numbers are plain decimals: the grammar reads no exponents.
 */
export function objectiveChartLines(results: SweepResults): string[] {
  const { metric, goal } = results.objective;
  const withObjective = results.trials.filter((t) => t.objective !== null);
  if (withObjective.length === 0) return [];
  const capped = withObjective.length > MERMAID_MAX_TRIALS;
  const shown = capped ? byRank(results).slice(0, MERMAID_MAX_TRIALS) : withObjective;
  const labels = trialLabels(results, shown);
  const values = shown.map((t) => t.objective!);
  const { low, high } = axisRange(values, metric);
  const scope = capped ? `best ${MERMAID_MAX_TRIALS} of ${results.trials.length} trials` : "per trial";
  const xTitle = labels.byParams ? results.plan.paths.join(" / ") : "trial";
  const lines = [
    "```mermaid",
    "xychart-beta",
    `  title ${quoted(`${metric} ${scope} (${goal === "max" ? "higher" : "lower"} is better)`)}`,
    `  x-axis ${quoted(xTitle)} [${labels.texts.map(quoted).join(", ")}]`,
    `  y-axis ${quoted(metric)} ${low} --> ${high}`,
    `  bar [${values.map((v) => plainNumber(v, 4)).join(", ")}]`,
    "```",
  ];
  const missing = results.trials.filter((t) => t.objective === null);
  if (missing.length > 0) {
    const named = missing.slice(0, 10).map((t) => `#${t.index} ${t.status === "not_run" ? "not run" : t.status}`);
    lines.push("", `Not in the chart (no ${metric}): ${named.join(", ")}${missing.length > 10 ? `, and ${missing.length - 10} more` : ""}.`);
  }
  return lines;
}

/** The swept values ("0.5/32") when every trial's fit MAX_LABEL characters and tell the trials apart, else "#index". */
function trialLabels(results: SweepResults, trials: readonly TrialRecord[]): { texts: string[]; byParams: boolean } {
  const { paths } = results.plan;
  const byParams = paths.length === 0 ? [] : trials.map((t) => paths.map((p) => (p in t.params ? displayValue(t.params[p]) : "–")).join("/"));
  const usable = byParams.length > 0 && byParams.every((label) => label.length <= MAX_LABEL) && new Set(byParams).size === byParams.length;
  return usable ? { texts: byParams, byParams: true } : { texts: trials.map((t) => `#${t.index}`), byParams: false };
}

/**
 * A y range around the values with a margin (a tenth of their spread, at least 1% of the largest),
 * rounded outward at the margin's decade; accuracy stays within [0, 1], a non-negative loss above 0.
 */
export function axisRange(values: readonly number[], metric: string): { low: string; high: string } {
  const min = Math.min(...values);
  const max = Math.max(...values);
  const margin = Math.max((max - min) / 10, Math.abs(max) / 100, 1e-9);
  const decimals = Math.max(0, -Math.floor(Math.log10(margin)));
  const step = 10 ** -decimals;
  // The 1e-9 keeps float noise (0.7 − 0.02 = 0.67999…) from rounding a whole step further out.
  let low = Math.floor((min - margin) / step + 1e-9) * step;
  let high = Math.ceil((max + margin) / step - 1e-9) * step;
  if (min >= 0) low = Math.max(0, low);
  if (metric === "valid_accuracy") high = Math.min(1, high);
  return { low: low.toFixed(decimals), high: high.toFixed(decimals) };
}

/** `value` as a decimal without an exponent, to `digits` significant digits: 1e-7 → "0.0000001". */
export function plainNumber(value: number, digits: number): string {
  return value.toLocaleString("en-US", { useGrouping: false, maximumSignificantDigits: digits });
}

/** A Mermaid string: double quotes around text that holds none (nor a backtick or a line break). */
function quoted(text: string): string {
  return `"${text.replace(/["`]/g, "'").replace(/[\r\n]+/g, " ")}"`;
}
