import { EventLoopYield, evaluate, InterruptedError, LossMeter, stopSignalName, trainingSteps, UserError, type Backend, type ParamList, type StopSignal } from "@crossprop/core";
import { stepPlan, type Experiment } from "@crossprop/config";
import { divergenceAfterStep } from "./divergence.ts";
import { endOfRun, type EndOfRun } from "./end-of-run.ts";

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
  /** The evaluation's time, with the check of every parameter before it (divergence.ts). */
  eval_seconds: number;
}

export interface StepEvent {
  epoch: number;
  /** 1-based step within the current interval between evaluations, of `intervalSteps`. */
  step: number;
  intervalSteps: number;
  /** 1-based step of the whole run, of TrainStart's `totalSteps`. */
  runStep: number;
  /** This batch's loss per example (mean over its rows), whatever the loss's reduction: train_loss's unit. */
  lossPerExample: number;
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
  /** Training has ended, however (completed, diverged, interrupted, failed). */
  onEnd?(): void;
}

export interface TrainHistory {
  epochs: EpochRecord[];
  /** The loss of every step per example, in order (with reduction "sum", the batch loss over its rows). */
  stepLosses: number[];
}

export interface TrainResult extends TrainHistory {
  backend: string;
  engine: string;
  threads: number;
  /** Steps in one pass over the training set: epochs trained = steps / stepsPerEpoch. */
  stepsPerEpoch: number;
  initial: ParamList;
  final: ParamList;
  wallSeconds: number;
  /** Median training seconds per pass over the training set. */
  secondsPerEpoch: number;
  samplesPerSecond: number;
  /** Validation predictions and start/end gradients (end-of-run.ts); null with the option `endOfRun: false`. */
  endOfRun?: EndOfRun | null;
}

/** A loss or parameter not finite in the run's dtype (divergence.ts): the run stops at that step. */
export class DivergenceError extends UserError {
  constructor(
    message: string,
    readonly history: TrainHistory,
    /** The predictions and gradients at the parameters it stopped with, when those are finite. */
    readonly endOfRun: EndOfRun | null = null,
  ) {
    super(message, 1);
    this.name = "DivergenceError";
  }
}

/** Everything a run needs to continue where it was, written at the end of each epoch (checkpoint.ts). */
export interface TrainCheckpoint {
  /** Epochs and steps completed. The batch order of an epoch and each step's rate depend only on the seed and their numbers. */
  epoch: number;
  step: number;
  params: ParamList;
  optimizerState: ParamList;
  history: TrainHistory;
  /** Training seconds so far, for the summary of a resumed run. */
  wallSeconds: number;
}

export interface TrainOptions {
  /** Polled between steps: once aborted, the run stops before its next step with a TrainInterrupted. */
  signal?: StopSignal;
  /** Hears a checkpoint at the end of each epoch but the last (needs the model's getOptimizerState). */
  onCheckpoint?(checkpoint: TrainCheckpoint): void;
  /** Continue from this checkpoint instead of from `initial`. */
  resume?: TrainCheckpoint;
  /** Compute the validation predictions and start/end gradients at the end (default true). */
  endOfRun?: boolean;
}

/** Stopped by a signal between two steps; `history` is what was trained. */
export class TrainInterrupted extends InterruptedError {
  constructor(
    signal: InterruptedError["signal"],
    message: string,
    readonly history: TrainHistory,
  ) {
    super(signal, message);
    this.name = "TrainInterrupted";
  }
}

/**
 * Trains `experiment` on `backend` from the given initial parameters (or a checkpoint), on core's
 * training steps (the same batches and rates `check` sees). The spec has passed the registry's checks.
 */
export async function train(experiment: Experiment, backend: Backend, initial: ParamList, observer: TrainObserver = {}, options: TrainOptions = {}): Promise<TrainResult> {
  const { config, dataset, spec, plan } = experiment;
  const { resume, signal } = options;
  const started = performance.now() - (resume?.wallSeconds ?? 0) * 1000;
  const model = await backend.createModel(spec, resume?.params ?? initial, experiment.optimizer);
  try {
    if (resume) await restoreOptimizer(model, resume.optimizerState, backend.name);
    const history: TrainHistory = resume ? { epochs: [...resume.history.epochs], stepLosses: [...resume.history.stepLosses] } : { epochs: [], stepLosses: [] };
    const checkpointing = options.onCheckpoint !== undefined && model.getOptimizerState !== undefined;
    observer.onStart?.({
      backend: backend.name,
      engine: model.engine,
      epochs: Math.ceil(plan.totalSteps / plan.stepsPerEpoch),
      stepsPerEpoch: plan.stepsPerEpoch,
      totalSteps: plan.totalSteps,
      trainExamples: dataset.train.count,
      bySteps: config.training.steps !== null,
    });
    const steps = stepPlan(experiment);
    // Step losses are per example already, so the meter averages them weighted by batch size.
    let meter = new LossMeter("mean");
    let intervalStart = performance.now();
    let intervalFirst = (history.epochs.at(-1)?.step ?? 0) + 1;
    let samples = 0;
    // A resumed interval's meter gets the same additions, in the same order, as it had.
    for (let done = intervalFirst; done <= history.stepLosses.length; done++) {
      const size = batchSizeOf(done, plan.stepsPerEpoch, steps.batchSize, dataset.train.count);
      meter.add(history.stepLosses[done - 1]!, size);
      samples += size;
    }
    const yielder = new EventLoopYield();
    for (const { epoch, step, batch, lr } of trainingSteps(steps, history.stepLosses.length)) {
      await yielder.maybe();
      if (signal?.aborted) throw interrupted(signal, step - 1, history);
      const loss = await model.trainStep(batch, lr);
      const trained = performance.now();
      const evaluating = step % plan.evalEvery === 0 || step === plan.totalSteps;
      // Before an evaluation this also checks every parameter: that is the evaluation's time, not the training's.
      const diverged = await divergenceAfterStep(spec.dtype, { loss, evaluating }, model);
      if (diverged) throw divergence(diverged, epoch, step, history, lr, options.endOfRun === false ? null : await endOfRun(model, experiment, initial, await model.getParams()));
      const lossPerExample = spec.loss.reduction === "sum" ? loss / batch.size : loss;
      history.stepLosses.push(lossPerExample);
      meter.add(lossPerExample, batch.size);
      samples += batch.size;
      const intervalSteps = Math.min(plan.evalEvery, plan.totalSteps - intervalFirst + 1);
      const seconds = ((evaluating ? trained : performance.now()) - intervalStart) / 1000;
      observer.onStep?.({ epoch, step: step - intervalFirst + 1, intervalSteps, runStep: step, lossPerExample, samples, seconds });
      if (evaluating) {
        const evalStart = trained;
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
        meter = new LossMeter("mean");
        intervalFirst = step + 1;
        samples = 0;
        intervalStart = performance.now();
      }
      if (checkpointing && step % plan.stepsPerEpoch === 0 && step < plan.totalSteps) {
        options.onCheckpoint!({
          epoch,
          step,
          params: await model.getParams(),
          optimizerState: await model.getOptimizerState!(),
          history,
          wallSeconds: (performance.now() - started) / 1000,
        });
      }
    }
    const secondsPerEpoch = median(
      history.epochs.map((record, i) => record.seconds / ((record.step - (history.epochs[i - 1]?.step ?? 0)) / plan.stepsPerEpoch)),
    );
    const final = await model.getParams();
    return {
      ...history,
      backend: backend.name,
      engine: model.engine,
      threads: model.threads ?? 1,
      stepsPerEpoch: plan.stepsPerEpoch,
      initial,
      final,
      wallSeconds: (performance.now() - started) / 1000,
      secondsPerEpoch,
      samplesPerSecond: dataset.train.count / secondsPerEpoch,
      // After the clock: the run's own figures do not include it. It leaves the model at `initial`.
      endOfRun: options.endOfRun === false ? null : await endOfRun(model, experiment, initial, final),
    };
  } finally {
    observer.onEnd?.();
    model.dispose();
  }
}

function divergence(what: string, epoch: number, step: number, history: TrainHistory, lr: number, data: EndOfRun | null): DivergenceError {
  return new DivergenceError(
    `diverged: ${what} at step ${step} (epoch ${epoch}). ` +
      `Hint: lower optimizer.lr (this step's rate was ${lr}), use a smaller init (model.init.weights), or check the data.`,
    history,
    data,
  );
}

/** The rows of 1-based `step`: batchSize, except each epoch's last batch, which holds the rest. */
function batchSizeOf(step: number, stepsPerEpoch: number, batchSize: number, examples: number): number {
  return step % stepsPerEpoch === 0 ? examples - (stepsPerEpoch - 1) * batchSize : batchSize;
}

async function restoreOptimizer(model: Awaited<ReturnType<Backend["createModel"]>>, state: ParamList, backend: string): Promise<void> {
  if (model.setOptimizerState) return model.setOptimizerState(state);
  if (state.length > 0) throw new UserError(`backend ${backend} cannot restore an optimizer's state, so it cannot resume this run`);
}

function interrupted(signal: StopSignal, steps: number, history: TrainHistory): TrainInterrupted {
  const name = stopSignalName(signal);
  return new TrainInterrupted(name, `interrupted by ${name} after step ${steps}`, history);
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
