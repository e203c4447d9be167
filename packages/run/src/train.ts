import { evaluate, LossMeter, trainingSteps, UserError, type Backend, type ParamList } from "@crossprop/core";
import { stepPlan, type Experiment } from "@crossprop/config";
import { divergenceAfterStep } from "./divergence.ts";

/** One line of metrics.jsonl: an evaluation, after each epoch (or every eval_every steps). */
export interface EpochRecord {
  epoch: number;
  /** Steps trained so far. */
  step: number;
  /** Mean loss of the steps since the previous evaluation. */
  train_loss: number;
  valid_loss: number;
  valid_accuracy: number | null;
  /** Training time since the previous evaluation (evaluation excluded). */
  seconds: number;
  eval_seconds: number;
}

export interface StepEvent {
  epoch: number;
  /** 1-based step within the current interval between evaluations, of `intervalSteps`. */
  step: number;
  intervalSteps: number;
  loss: number;
  /** Examples trained on so far in this interval, and the seconds that took. */
  samples: number;
  seconds: number;
}

export interface TrainStart {
  backend: string;
  engine: string;
  epochs: number;
  stepsPerEpoch: number;
  totalSteps: number;
  trainExamples: number;
  /** True when training by `training.steps` rather than whole epochs. */
  bySteps: boolean;
}

export interface TrainObserver {
  onStart?(info: TrainStart): void;
  onStep?(event: StepEvent): void;
  onEpoch?(record: EpochRecord, history: TrainHistory): void;
}

export interface TrainHistory {
  epochs: EpochRecord[];
  /** The loss of every step, in order. */
  stepLosses: number[];
}

export interface TrainResult extends TrainHistory {
  backend: string;
  engine: string;
  threads: number;
  initial: ParamList;
  final: ParamList;
  wallSeconds: number;
  /** Median training seconds per pass over the training set. */
  secondsPerEpoch: number;
  samplesPerSecond: number;
}

/** A loss or parameter not finite in the run's dtype (divergence.ts): the run stops at that step. */
export class DivergenceError extends UserError {
  constructor(
    message: string,
    readonly history: TrainHistory,
  ) {
    super(message, 1);
    this.name = "DivergenceError";
  }
}

/**
 * Trains `experiment` on `backend` from the given initial parameters, on core's training steps
 * (the same batches and rates `check` sees). The spec has passed the registry's checks.
 */
export async function train(experiment: Experiment, backend: Backend, initial: ParamList, observer: TrainObserver = {}): Promise<TrainResult> {
  const { config, dataset, spec, plan } = experiment;
  const started = performance.now();
  const model = await backend.createModel(spec, initial, experiment.optimizer);
  try {
    const history: TrainHistory = { epochs: [], stepLosses: [] };
    observer.onStart?.({
      backend: backend.name,
      engine: model.engine,
      epochs: Math.ceil(plan.totalSteps / plan.stepsPerEpoch),
      stepsPerEpoch: plan.stepsPerEpoch,
      totalSteps: plan.totalSteps,
      trainExamples: dataset.train.count,
      bySteps: config.training.steps !== null,
    });
    let meter = new LossMeter(spec.loss.reduction);
    let intervalStart = performance.now();
    let intervalFirst = 1;
    let samples = 0;
    for (const { epoch, step, batch, lr } of trainingSteps(stepPlan(experiment))) {
      const loss = await model.trainStep(batch, lr);
      const diverged = await divergenceAfterStep(spec.dtype, { loss, evaluating: step % plan.evalEvery === 0 || step === plan.totalSteps }, model);
      if (diverged) throw divergence(diverged, epoch, step, history, lr);
      history.stepLosses.push(loss);
      meter.add(loss, batch.size);
      samples += batch.size;
      const intervalSteps = Math.min(plan.evalEvery, plan.totalSteps - intervalFirst + 1);
      const seconds = (performance.now() - intervalStart) / 1000;
      observer.onStep?.({ epoch, step: step - intervalFirst + 1, intervalSteps, loss, samples, seconds });
      if (step % plan.evalEvery !== 0 && step !== plan.totalSteps) continue;
      const evalStart = performance.now();
      const valid = await evaluate(model, dataset.valid, spec, experiment.encoding);
      const record: EpochRecord = {
        epoch,
        step,
        train_loss: meter.value,
        valid_loss: valid.loss,
        valid_accuracy: valid.accuracy,
        seconds,
        eval_seconds: (performance.now() - evalStart) / 1000,
      };
      history.epochs.push(record);
      observer.onEpoch?.(record, history);
      meter = new LossMeter(spec.loss.reduction);
      intervalFirst = step + 1;
      samples = 0;
      intervalStart = performance.now();
    }
    const secondsPerEpoch = median(
      history.epochs.map((record, i) => record.seconds / ((record.step - (history.epochs[i - 1]?.step ?? 0)) / plan.stepsPerEpoch)),
    );
    return {
      ...history,
      backend: backend.name,
      engine: model.engine,
      threads: model.threads ?? 1,
      initial,
      final: await model.getParams(),
      wallSeconds: (performance.now() - started) / 1000,
      secondsPerEpoch,
      samplesPerSecond: dataset.train.count / secondsPerEpoch,
    };
  } finally {
    model.dispose();
  }
}

function divergence(what: string, epoch: number, step: number, history: TrainHistory, lr: number): DivergenceError {
  return new DivergenceError(
    `diverged: ${what} at step ${step} (epoch ${epoch}). ` +
      `Hint: lower optimizer.lr (this step's rate was ${lr}), use a smaller init (model.init.weights), or check the data.`,
    history,
  );
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
