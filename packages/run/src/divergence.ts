import type { DType, Model, ParamList } from "@crossprop/core";
import type { TrainHistory } from "./train.ts";

/**
 * Whether `value` is finite in `dtype`. A float32 run's loss past float32's range (≈ 3.4e38) counts
 * as infinite even when a backend summed it in doubles: manual adds its float32 outputs' errors in
 * float64 and would otherwise train on, with parameters as large, steps after autograd and tfjs
 * (whose float32 sums overflow) stopped.
 */
export function finiteIn(dtype: DType, value: number): boolean {
  return Number.isFinite(dtype === "float32" ? Math.fround(value) : value);
}

/** The first non-finite parameter element, named (`layers.0.weight[17] is NaN`), or null. */
export function nonFiniteParameter(params: ParamList): string | null {
  for (const { name, data } of params) {
    for (let i = 0; i < data.length; i++) {
      if (!Number.isFinite(data[i]!)) return `parameter ${name}[${i}] is ${data[i]}`;
    }
  }
  return null;
}

export interface StepOutcome {
  loss: number;
  /** The step ends an interval and is evaluated next (the last step always is). */
  evaluating: boolean;
}

/**
 * What diverged after a step, or null — the same rule on every backend, applied by the train loop:
 * the step's loss, every step (a comparison); and every parameter, at each evaluation (and so at
 * the end), before it is evaluated. A NaN parameter can hide from the loss (a ReLU's `x > 0 ? x : 0`
 * drops it), so the loss alone is not enough. Reading the parameters copies them out of the
 * backend: on configs/mlp.yaml (203,530 parameters, one thread) 0.42 ms against a step of 1.6 ms
 * (manual), 2.0 ms (autograd), 7.9 ms (tfjs) — 5–28% if done every step, 0.02–0.12% of an epoch's
 * 233 steps once per evaluation, and always small beside the evaluation's own forward pass.
 */
export async function divergenceAfterStep(dtype: DType, step: StepOutcome, model: Pick<Model, "getParams">): Promise<string | null> {
  if (!finiteIn(dtype, step.loss)) {
    return Number.isFinite(step.loss) ? `the loss is ${step.loss} (beyond float32's range)` : `the loss is ${step.loss}`;
  }
  return step.evaluating ? nonFiniteParameter(await model.getParams()) : null;
}

/**
 * Growth past which a finite loss is reported as explosive: a million times the first step's loss.
 * A run that learns ends below its first loss, and one at too high a rate that recovers spikes by
 * tens or hundreds of times; a million means the outputs are orders of magnitude beyond any
 * prediction (cross-entropy of a uniform guess is ln 10 ≈ 2.3) — the ReLU MLP at lr 1e6 reaches
 * 1e29 and stays finite, so without this it would pass as completed.
 */
export const EXPLOSIVE_GROWTH = 1e6;

/** A warning when some step's loss exceeded EXPLOSIVE_GROWTH × the first step's, or null. */
export function explosiveGrowth(history: Pick<TrainHistory, "stepLosses">): string | null {
  const losses = history.stepLosses;
  const first = losses[0];
  if (first === undefined || !(first > 0)) return null;
  let peakStep = 0;
  for (let i = 1; i < losses.length; i++) if (losses[i]! > losses[peakStep]!) peakStep = i;
  const peak = losses[peakStep]!;
  if (!(peak > EXPLOSIVE_GROWTH * first)) return null;
  return (
    `explosive growth: the training loss reached ${peak.toPrecision(4)} at step ${peakStep + 1}, ` +
    `${(peak / first).toPrecision(2)}× its first value (${first.toPrecision(4)}); the run completed but its results are likely meaningless — lower optimizer.lr`
  );
}
