import type { Batch } from "./batch.ts";
import { BatchMaker, epochBatches, epochOrder, stepsPerEpoch, type TargetEncoding } from "./batches.ts";
import type { Examples } from "./examples.ts";
import type { ByteStorage } from "./byte-storage.ts";
import type { DType } from "./model-spec.ts";
import { learningRate, type ScheduleSpec } from "./schedule.ts";

/** Everything that decides which batches a run trains on, in which order, at which rates. */
export interface StepPlan {
  examples: Examples;
  dtype: DType;
  encoding: TargetEncoding;
  batchSize: number;
  totalSteps: number;
  shuffle: boolean;
  seed: number;
  schedule: ScheduleSpec;
  /** Where gathered (shuffled) batches' pixel bytes go: the storage the examples were read into, if any. */
  storage?: ByteStorage;
}

/** One training step: 1-based epoch and step, its batch (valid until the next step) and its rate. */
export interface TrainingStep {
  epoch: number;
  step: number;
  batch: Batch;
  lr: number;
}

/**
 * The steps of a run, in order: epoch after epoch of core's batch order (file order, or a seeded
 * reshuffle per epoch), the last partial batch of each epoch kept, until `totalSteps`. Every
 * command that trains (run, check, sweep) iterates this, so they all see the same batches.
 * `after`: steps already taken (a resumed run); they are skipped without building their batches.
 */
export function* trainingSteps(plan: StepPlan, after = 0): Generator<TrainingStep> {
  const maker = new BatchMaker(plan.examples, plan.batchSize, plan.dtype, plan.encoding, plan.storage);
  const perEpoch = stepsPerEpoch(plan.examples.count, plan.batchSize);
  let step = Math.min(after, plan.totalSteps);
  for (let epoch = Math.floor(step / perEpoch) + 1; step < plan.totalSteps; epoch++) {
    // The order depends only on the seed and the epoch, so a resumed epoch sees the same batches.
    const taken = (step - (epoch - 1) * perEpoch) * plan.batchSize;
    for (const batch of epochBatches(maker, epochRows(plan, epoch).subarray(taken), plan.batchSize)) {
      if (step === plan.totalSteps) return;
      step++;
      yield { epoch, step, batch, lr: learningRate(plan.schedule, step, batch.size) };
    }
  }
}

/** The row order of 1-based `epoch` of a plan (the order trainingSteps batches it in). */
export function epochRows(plan: Pick<StepPlan, "examples" | "shuffle" | "seed">, epoch: number): Uint32Array {
  // epochOrder counts epochs from 0: its shuffle key is part of the bytes of every past run.
  return epochOrder(plan.examples.count, epoch - 1, plan.shuffle, plan.seed);
}
