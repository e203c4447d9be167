import {
  datasetDigest,
  loadMnist,
  makeSplit,
  mlpLayers,
  type Dataset,
  type Examples,
  type ModelInit,
  type ModelSpec,
  type OptimizerSpec,
  type TargetEncoding,
} from "@crossprop/core";
import type { Config } from "./config/index.ts";

/** Everything a backend-independent run needs, resolved once from a config. */
export interface Experiment {
  config: Config;
  dataset: Dataset;
  dataSha256: string;
  spec: ModelSpec;
  init: ModelInit;
  optimizer: OptimizerSpec;
  encoding: TargetEncoding;
}

const rawData = new Map<string, { train: Examples; test: Examples; classes: number }>();

/** The dataset's train/test files, read once per process. */
function readDataset(name: Config["data"]["dataset"]) {
  let data = rawData.get(name);
  if (!data) {
    data = { ...loadMnist(), classes: 10 };
    rawData.set(name, data);
  }
  return data;
}

export function prepareExperiment(config: Config): Experiment {
  const raw = readDataset(config.data.dataset);
  const dataset = makeSplit(config.data.dataset, raw.train, raw.test, raw.classes, {
    split: config.data.split,
    validFraction: config.data.valid_fraction,
    seed: config.seed,
    classes: config.data.classes ? [...config.data.classes] : null,
    trainSize: config.data.train_size,
    testSize: config.data.test_size,
  });
  const outputs = dataset.classes;
  const spec: ModelSpec = {
    inputs: dataset.features,
    layers: mlpLayers(dataset.features, config.model.hidden, outputs, config.model.activation, config.model.output_activation),
    loss: { type: config.loss.type, reduction: config.loss.reduction },
    dtype: config.dtype,
  };
  const encoding: TargetEncoding =
    config.loss.type === "mse" ? { kind: "onehot", classes: outputs, scale: config.loss.target_scale } : { kind: "labels" };
  const { weights, biases } = config.model.init;
  return {
    config,
    dataset,
    dataSha256: datasetDigest(dataset),
    spec,
    init: { weights: { ...weights }, biases: { ...biases } },
    optimizer: {
      type: config.optimizer.type,
      momentum: config.optimizer.momentum,
      beta1: config.optimizer.beta1,
      beta2: config.optimizer.beta2,
      epsilon: config.optimizer.epsilon,
      weightDecay: config.optimizer.weight_decay,
    },
    encoding,
  };
}
