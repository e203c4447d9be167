import {
  datasetDigest,
  loadFashionMnist,
  loadIdxDirectory,
  loadMnist,
  makeSplit,
  mlpLayers,
  stepsPerEpoch,
  syntheticLinear,
  UserError,
  type Dataset,
  type Examples,
  type ModelInit,
  type ModelSpec,
  type OptimizerSpec,
  type ScheduleSpec,
  type TargetEncoding,
} from "@crossprop/core";
import type { Config } from "./config/index.ts";

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
}

const rawData = new Map<string, { train: Examples; test: Examples; classes: number }>();

/** A dataset's train/test examples; files are read once per process. */
function readDataset(data: Config["data"], seed: number) {
  if (data.dataset === "synthetic-linear") {
    const { weights, bias, noise_std, train_samples, valid_samples } = data.synthetic;
    return { ...syntheticLinear({ weights, bias, noiseStd: noise_std, trainSamples: train_samples, validSamples: valid_samples }, seed), classes: 0 };
  }
  const key = data.dataset === "idx" ? `idx:${data.path}` : data.dataset;
  let raw = rawData.get(key);
  if (!raw) {
    if (data.dataset === "idx" && !data.path) throw new UserError("data.path: dataset idx needs the directory of its IDX files", 2, "data.path");
    const files = data.dataset === "mnist" ? loadMnist() : data.dataset === "fashion-mnist" ? loadFashionMnist() : loadIdxDirectory(data.path!);
    raw = { ...files, classes: 10 };
    rawData.set(key, raw);
  }
  return raw;
}

export function prepareExperiment(config: Config): Experiment {
  const raw = readDataset(config.data, config.seed);
  const dataset = makeSplit(config.data.dataset, raw.train, raw.test, raw.classes, {
    split: config.data.split,
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
