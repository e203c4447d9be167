import {
  datasetDigest,
  loadDataset,
  makeSplit,
  mlpLayers,
  stepsPerEpoch,
  UserError,
  type ByteStorage,
  type Dataset,
  type ModelInit,
  type ModelSpec,
  type OptimizerSpec,
  type ScheduleSpec,
  type StepPlan,
  type TargetEncoding,
} from "@crossprop/core";
import { availableParallelism } from "node:os";
import type { Config } from "./schema/index.ts";

/** The training loop's shape, resolved from `training:` and the data. */
export interface TrainingPlan {
  batchSize: number;
  stepsPerEpoch: number;
  totalSteps: number;
  /** Evaluate (a metrics.jsonl line) after every this many steps, and after the last. */
  evalEvery: number;
  shuffle: boolean;
}

/** Everything a backend-independent run needs, resolved once from a config. */
export interface Experiment {
  config: Config;
  dataset: Dataset;
  dataSha256: string;
  spec: ModelSpec;
  init: ModelInit;
  optimizer: OptimizerSpec;
  schedule: ScheduleSpec;
  encoding: TargetEncoding;
  plan: TrainingPlan;
  /** training.threads resolved: every available core when null. */
  threads: number;
  /** Where the dataset's pixels were read (prepareExperiment's storage), for the batches gathered from them. */
  storage?: ByteStorage;
}

/** `storage`: where a file dataset's pixels are read (core's loadDataset); by default its own arrays, cached per process. */
export function prepareExperiment(config: Config, storage?: ByteStorage): Experiment {
  const { dataset: name, path, synthetic } = config.data;
  const source = { dataset: name, path, synthetic: { weights: synthetic.weights, bias: synthetic.bias, noiseStd: synthetic.noise_std, trainSamples: synthetic.train_samples, validSamples: synthetic.valid_samples } };
  const raw = loadDataset(source, config.seed, config.data.split === "pooled" ? { validFraction: config.data.valid_fraction } : null, storage);
  const dataset = makeSplit(config.data.dataset, raw.train, raw.test, raw.classes, {
    // Files come back already split when pooled (datasets.ts); generated data is split here.
    split: raw.pooled ? "standard" : config.data.split,
    validFraction: config.data.valid_fraction,
    seed: config.seed,
    classes: config.data.classes ? [...config.data.classes] : null,
    trainSize: config.data.train_size,
    testSize: config.data.test_size,
  });
  const { outputs, encoding } = lossTargets(config, dataset);
  const spec: ModelSpec = {
    inputs: dataset.features,
    layers: mlpLayers(dataset.features, config.model.hidden, outputs, config.model.activation, config.model.output_activation),
    loss: { type: config.loss.type, reduction: config.loss.reduction, scale: config.loss.scale },
    dtype: config.dtype,
  };
  const { weights, biases } = config.model.init;
  const { optimizer } = config;
  return {
    config,
    dataset,
    dataSha256: datasetDigest(dataset),
    spec,
    init: { weights: { ...weights }, biases: { ...biases } },
    optimizer: {
      type: optimizer.type,
      momentum: optimizer.momentum,
      beta1: optimizer.beta1,
      beta2: optimizer.beta2,
      epsilon: optimizer.epsilon,
      weightDecay: optimizer.weight_decay,
    },
    schedule: { lr: optimizer.lr, lrScale: optimizer.lr_scale, ...optimizer.schedule },
    encoding,
    plan: trainingPlan(config.training, dataset.train.count),
    threads: config.training.threads ?? availableParallelism(),
    ...(storage ? { storage } : {}),
  };
}

/** The output width and what a batch's targets hold, for the loss and the data. */
function lossTargets(config: Config, dataset: Dataset): { outputs: number; encoding: TargetEncoding } {
  const loss = config.loss.type;
  const regression = dataset.classes === 0;
  if (loss === "mse") {
    return regression
      ? { outputs: dataset.train.targetWidth, encoding: { kind: "values" } }
      : { outputs: dataset.classes, encoding: { kind: "onehot", classes: dataset.classes, scale: config.loss.target_scale } };
  }
  if (regression) throw new UserError(`loss.type: ${loss} needs class labels, but ${config.data.dataset} is regression data; use mse`, 2, "loss.type");
  if (loss === "cross_entropy") return { outputs: dataset.classes, encoding: { kind: "labels" } };
  if (dataset.classes !== 2) {
    throw new UserError(`data.classes: loss ${loss} is binary (one output, labels 0/1); list exactly two classes, e.g. [7, 3] (7 → 0, 3 → 1)`, 2, "data.classes");
  }
  return { outputs: 1, encoding: { kind: "labels" } };
}

function trainingPlan(training: Config["training"], trainCount: number): TrainingPlan {
  const batchSize = training.batch_size === "full" ? trainCount : Math.min(training.batch_size, trainCount);
  const perEpoch = stepsPerEpoch(trainCount, batchSize);
  const totalSteps = training.steps ?? training.epochs * perEpoch;
  const evalEvery = training.eval_every ?? (training.steps === null ? perEpoch : Math.max(1, Math.ceil(totalSteps / 10)));
  return { batchSize, stepsPerEpoch: perEpoch, totalSteps, evalEvery, shuffle: training.shuffle };
}

/** Core's training-step plan for this experiment: every step of a run, or the first `totalSteps` (check). */
export function stepPlan(experiment: Experiment, totalSteps = experiment.plan.totalSteps): StepPlan {
  const { dataset, spec, encoding, plan, config, schedule, storage } = experiment;
  return { examples: dataset.train, dtype: spec.dtype, encoding, batchSize: plan.batchSize, totalSteps, shuffle: plan.shuffle, seed: config.seed, schedule, ...(storage ? { storage } : {}) };
}
