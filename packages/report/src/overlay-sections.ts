import { escapeHtml as e } from "./escape.ts";
import { MAX_POINTS } from "./downsample.ts";
import { absStepDifferenceChart, overlaidEvaluationChart, overlaidStepLossChart, stepDifferenceChart, type NamedDifferences, type NamedRun } from "./overlay-charts.ts";
import { chartFigure } from "./page.ts";
import { stepLossDifferences, zeroFloor } from "./step-differences.ts";

/** The sections of the pages that overlay several runs (a comparison's backends, or two runs): charts, or a sentence when there is nothing to draw. */

/** Valid loss, valid accuracy and train loss per evaluation, each with a line per run. */
export async function evaluationCharts(runs: readonly NamedRun[]): Promise<string> {
  if (runs.every((run) => run.evaluations.length === 0)) return "<p>no evaluations recorded (every metrics.jsonl is empty or absent)</p>";
  return (
    (await chartFigure("valid-loss", overlaidEvaluationChart(runs, "valid_loss"))) +
    (await chartFigure("valid-accuracy", overlaidEvaluationChart(runs, "valid_accuracy"))) +
    (await chartFigure("train-loss", overlaidEvaluationChart(runs, "train_loss")))
  );
}

/** Every step's loss with a line per run, linear and log. */
export async function stepCharts(runs: readonly NamedRun[]): Promise<string> {
  if (runs.every((run) => run.steps.length === 0)) return "<p>no steps recorded (every steps.jsonl is empty or absent)</p>";
  const note = downsampled(runs.map((run) => run.steps.length)) ? DOWNSAMPLED : undefined;
  return (await chartFigure("step-loss", overlaidStepLossChart(runs, false), note)) + (await chartFigure("step-loss-log", overlaidStepLossChart(runs, true), note));
}

/** The per-step difference of every run after the first from the first: signed, and |Δ| on a log scale. */
export async function differenceCharts(reference: NamedRun, others: readonly NamedRun[]): Promise<string> {
  const named: NamedDifferences[] = others.map((run) => ({ name: run.name, differences: stepLossDifferences(reference.steps, run.steps) }));
  if (named.every((run) => run.differences.length === 0)) return `<p>no step both ${e(reference.name)} and another run recorded with a finite loss: nothing to compare</p>`;
  const floor = zeroFloor(named.flatMap((run) => run.differences));
  const zeros = named.reduce((count, run) => count + run.differences.filter((d) => d.delta === 0).length, 0);
  const caption =
    `|Δ| on a log scale, where float32 trajectories drift apart (from ~1e-7 of the loss) and float64 ones agree to ~1e-14. ` +
    (zeros === 0 ? "No step's losses are identical." : `Identical losses (Δ = 0, ${zeros} step(s)) are drawn at ${floor.toExponential(0)}, below every non-zero |Δ|.`) +
    (downsampled(named.map((run) => run.differences.length)) ? ` ${DOWNSAMPLED}` : "");
  return (
    (await chartFigure("loss-difference", stepDifferenceChart(named, reference.name), `Each run's loss minus ${reference.name}'s, per step${downsampled(named.map((run) => run.differences.length)) ? `. ${DOWNSAMPLED}` : "."}`)) +
    (await chartFigure("loss-difference-log", absStepDifferenceChart(named, reference.name, floor), caption))
  );
}


const DOWNSAMPLED = `Series longer than ${MAX_POINTS.toLocaleString("en-US")} steps are drawn through each stretch's lowest and highest value.`;

function downsampled(lengths: readonly number[]): boolean {
  return lengths.some((length) => length > MAX_POINTS);
}
