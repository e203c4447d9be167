import {
  BatchMaker,
  epochBatches,
  epochOrder,
  evaluate,
  LossMeter,
  stepsPerEpoch,
  UserError,
  type ParamList,
} from "@crossprop/core";
import { loadBackend, type BackendName } from "./backends.ts";
import type { Experiment } from "./experiment.ts";

/** One line of metrics.jsonl. */
export interface EpochRecord {
  epoch: number;
  train_loss: number;
  valid_loss: number;
  valid_accuracy: number | null;
  /** Training time of this epoch (evaluation excluded). */
  seconds: number;
  eval_seconds: number;
}

export interface StepEvent {
  epoch: number;
  /** 1-based step within the epoch. */
  step: number;
  stepsPerEpoch: number;
  loss: number;
  /** Examples trained on so far in this epoch, and the seconds that took. */
  samples: number;
  seconds: number;
}

export interface TrainObserver {
  onStart?(info: { backend: string; engine: string; epochs: number; stepsPerEpoch: number; trainExamples: number }): void;
  onStep?(event: StepEvent): void;
  onEpoch?(record: EpochRecord, history: TrainHistory): void;
}

export interface TrainHistory {
  epochs: EpochRecord[];
  /** The loss of every step, in order. */
  stepLosses: number[];
}

export interface TrainResult extends TrainHistory {
  backend: BackendName;
  engine: string;
  initial: ParamList;
  final: ParamList;
  wallSeconds: number;
  secondsPerEpoch: number;
  samplesPerSecond: number;
}

/** A NaN or infinite loss: the run stops at that step. */
export class DivergenceError extends UserError {
  constructor(
    message: string,
    readonly history: TrainHistory,
  ) {
    super(message, 1);
    this.name = "DivergenceError";
  }
}

/** Trains `experiment` on one backend from the given initial parameters and core's batch order. */
export async function train(
  experiment: Experiment,
  backendName: BackendName,
  initial: ParamList,
  observer: TrainObserver = {},
): Promise<TrainResult> {
  const { config, dataset, spec } = experiment;
  const started = performance.now();
  const backend = await loadBackend(backendName);
  const model = await backend.createModel(spec, initial, experiment.optimizer);
  try {
    const { epochs, batch_size: batchSize, shuffle } = config.training;
    const steps = stepsPerEpoch(dataset.train.count, batchSize);
    const maker = new BatchMaker(dataset.train, Math.min(batchSize, dataset.train.count), spec.dtype, experiment.encoding);
    const history: TrainHistory = { epochs: [], stepLosses: [] };
    observer.onStart?.({ backend: backendName, engine: model.engine, epochs, stepsPerEpoch: steps, trainExamples: dataset.train.count });
    for (let epoch = 1; epoch <= epochs; epoch++) {
      const meter = new LossMeter(spec.loss.reduction);
      const epochStart = performance.now();
      let step = 0;
      let samples = 0;
      for (const batch of epochBatches(maker, epochOrder(dataset.train.count, epoch - 1, shuffle, config.seed), batchSize)) {
        const loss = await model.trainStep(batch, config.optimizer.lr);
        step++;
        samples += batch.size;
        if (!Number.isFinite(loss)) throw divergence(loss, epoch, step, history, config.optimizer.lr);
        history.stepLosses.push(loss);
        meter.add(loss, batch.size);
        observer.onStep?.({ epoch, step, stepsPerEpoch: steps, loss, samples, seconds: (performance.now() - epochStart) / 1000 });
      }
      const seconds = (performance.now() - epochStart) / 1000;
      const evalStart = performance.now();
      const valid = await evaluate(model, dataset.valid, spec, experiment.encoding);
      const record: EpochRecord = {
        epoch,
        train_loss: meter.value,
        valid_loss: valid.loss,
        valid_accuracy: valid.accuracy,
        seconds,
        eval_seconds: (performance.now() - evalStart) / 1000,
      };
      history.epochs.push(record);
      observer.onEpoch?.(record, history);
    }
    const secondsPerEpoch = median(history.epochs.map((e) => e.seconds));
    return {
      ...history,
      backend: backendName,
      engine: model.engine,
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

function divergence(loss: number, epoch: number, step: number, history: TrainHistory, lr: number): DivergenceError {
  const globalStep = history.stepLosses.length + 1;
  return new DivergenceError(
    `diverged: the loss is ${loss} at epoch ${epoch}, step ${step} (step ${globalStep} of the run). ` +
      `Hint: lower optimizer.lr (now ${lr}), use a smaller init (model.init.weights), or check the data.`,
    history,
  );
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
