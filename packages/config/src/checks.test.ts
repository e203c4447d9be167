import { afterAll, describe, expect, it } from "vitest";
import { configChecks } from "./checks.ts";
import { loadConfig } from "./load.ts";
import { issuesOf, removeConfigs, writeConfig } from "./configs.fixture.ts";

afterAll(removeConfigs);

/** Each check's issues as the CLI prints them, with the temp file name replaced by "FILE". */
function reported(text: string, sets: string[] = []): string[] {
  const { file, message } = issuesOf(text, sets);
  return message.split("\n").map((line) => line.replaceAll(file, "FILE"));
}

function loads(text: string, sets: string[] = []): boolean {
  return loadConfig(writeConfig(text), sets).config !== undefined;
}

describe("cross-field checks", () => {
  it("are small and named", () => {
    expect(Object.keys(configChecks)).toEqual([
      "validFractionNeedsPooledSplit",
      "initFieldsMatchType",
      "crossEntropyNeedsIdentityOutput",
      "expectMinNotAboveMax",
      "stepsOrEpochs",
      "idxPathMatchesDataset",
      "syntheticOnlyForSyntheticData",
      "regressionNeedsMse",
      "binaryLossNeedsTwoClasses",
      "optimizerFieldsMatchType",
      "runFitsInMemory",
    ]);
  });

  it("training.steps and training.epochs written together", () => {
    expect(reported("name: run\ntraining:\n  epochs: 3\n  steps: 100\n")).toEqual([
      "FILE:3:11: training.epochs: is ignored because training.steps is 100 (line 4); keep one of the two",
    ]);
    expect(loads("name: run\ntraining:\n  steps: 100\n")).toBe(true);
  });

  it("dataset idx needs data.path, and data.path needs dataset idx", () => {
    expect(reported("name: run\ndata:\n  dataset: idx\n")).toEqual(["FILE:3:12: data.dataset: idx needs data.path, the directory holding the IDX files"]);
    expect(reported("name: run\ndata:\n  path: /tmp\n")).toEqual(["FILE:3:9: data.path: is only used by dataset idx, but data.dataset is mnist (default)"]);
  });

  it("regression data takes mse and no classes; synthetic settings need synthetic data", () => {
    expect(reported("name: run\ndata:\n  dataset: synthetic-linear\n  classes: [1, 2]\n")).toEqual([
      "FILE: loss.type: expected mse because data.dataset is synthetic-linear (line 3) (regression), got cross_entropy",
      "FILE:4:12: data.classes: regression data has no classes (data.dataset is synthetic-linear (line 3))",
    ]);
    expect(reported("name: run\ndata:\n  synthetic: { bias: 2 }\n")).toEqual([
      "FILE:3:14: data.synthetic: is only used by dataset synthetic-linear, but data.dataset is mnist (default)",
    ]);
    expect(loads("name: run\ndata: { dataset: synthetic-linear }\nloss: { type: mse }\n")).toBe(true);
  });

  it("binary losses need exactly two classes", () => {
    expect(reported("name: run\nloss:\n  type: bce\n")).toEqual([
      "FILE: data.classes: loss.type is bce (line 3), a one-output binary loss: list exactly two classes, e.g. [7, 3] (7 → 0, 3 → 1); got all ten",
    ]);
    expect(loads("name: run\ndata: { classes: [7, 3] }\nloss: { type: sigmoid_distance }\n")).toBe(true);
  });

  it("optimizer, schedule and loss fields their type does not read", () => {
    expect(reported("name: run\noptimizer:\n  momentum: 0.5\n  beta1: 0.8\n  schedule: { milestones: [10] }\nloss:\n  target_scale: 0.9\n")).toEqual([
      "FILE:3:13: optimizer.momentum: 0.5 is only used by type momentum, but optimizer.type is sgd (default)",
      "FILE:4:10: optimizer.beta1: 0.8 is only used by type adam or adamw, but optimizer.type is sgd (default)",
      "FILE:5:27: optimizer.schedule.milestones: is only used by schedule type step, but optimizer.schedule.type is constant (default)",
      "FILE:7:17: loss.target_scale: is only used by loss mse, but loss.type is cross_entropy (default)",
    ]);
    expect(loads("name: run\noptimizer: { type: adamw, beta1: 0.8, weight_decay: 0.01, schedule: { type: step, milestones: [10], gamma: 0.5 } }\n")).toBe(true);
  });

  it("data.valid_fraction written with the default standard split", () => {
    expect(reported("name: run\ndata:\n  valid_fraction: 0.2\n")).toEqual([
      "FILE:3:19: data.valid_fraction: 0.2 is only used when data.split is pooled, but data.split is standard (default)",
    ]);
  });

  it("data.valid_fraction with split standard written on a line quotes that line", () => {
    expect(reported("name: run\ndata:\n  split: standard\n  valid_fraction: 0.2\n")).toEqual([
      "FILE:4:19: data.valid_fraction: 0.2 is only used when data.split is pooled, but data.split is standard (line 3)",
    ]);
  });

  it("data.valid_fraction from --set is reported against the --set", () => {
    expect(reported("name: run\n", ["data.valid_fraction=0.3"])).toEqual([
      "--set data.valid_fraction=0.3: data.valid_fraction: 0.3 is only used when data.split is pooled, but data.split is standard (default)",
    ]);
  });

  it("valid_fraction is fine with pooled, and its default is never an issue", () => {
    expect(loads("name: run\ndata:\n  split: pooled\n  valid_fraction: 0.2\n")).toBe(true);
    expect(loads("name: run\ndata:\n  split: standard\n")).toBe(true);
  });

  it("init fields the chosen type does not read", () => {
    const text = [
      "name: run",
      "model:",
      "  init:",
      "    weights: {std: 0.1}",
      "    biases:",
      "      type: normal",
      "      limit: 0.5",
      "      gain: 2",
      "      distribution: uniform",
      "",
    ].join("\n");
    expect(reported(text)).toEqual([
      "FILE:4:20: model.init.weights.std: 0.1 is only used by type normal, but model.init.weights.type is kaiming (default)",
      "FILE:7:14: model.init.biases.limit: 0.5 is only used by type uniform, but model.init.biases.type is normal (line 6)",
      "FILE:8:13: model.init.biases.gain: 2 is only used by type kaiming or xavier, but model.init.biases.type is normal (line 6)",
      'FILE:9:21: model.init.biases.distribution: "uniform" is only used by type kaiming or xavier, but model.init.biases.type is normal (line 6)',
    ]);
  });

  it("init fields that match their type are fine", () => {
    const text = "name: run\nmodel:\n  init:\n    weights: {type: xavier, gain: 2, distribution: uniform}\n    biases: {type: uniform, limit: 0.1}\n";
    expect(loads(text)).toBe(true);
    expect(loads("name: run\nmodel:\n  init:\n    weights: {type: normal, std: 0.01}\n")).toBe(true);
  });

  it("cross_entropy needs identity outputs", () => {
    expect(reported("name: run\nmodel:\n  output_activation: sigmoid\n")).toEqual([
      "FILE:3:22: model.output_activation: expected identity because loss.type is cross_entropy (default) and takes logits, got sigmoid",
    ]);
    expect(reported("name: run\nloss:\n  type: cross_entropy\nmodel:\n  output_activation: tanh\n")).toEqual([
      "FILE:5:22: model.output_activation: expected identity because loss.type is cross_entropy (line 3) and takes logits, got tanh",
    ]);
  });

  it("mse with a sigmoid output, and cross_entropy on a subset of classes, are fine", () => {
    expect(loads("name: run\nloss: {type: mse}\nmodel: {output_activation: sigmoid}\n")).toBe(true);
    expect(loads("name: run\nloss: {type: cross_entropy}\ndata: {classes: [3, 8]}\n")).toBe(true);
  });

  it("expect min above max", () => {
    const text = "name: run\nexpect:\n  valid_accuracy:\n    min: 0.99\n    max: 0.9\n  train_loss: {min: 0.1, max: 0.5}\n";
    expect(reported(text)).toEqual([
      "FILE:4:10: expect.valid_accuracy.min: 0.99 is greater than expect.valid_accuracy.max 0.9 (line 5), so no value can pass",
    ]);
  });

  it("all failing checks are reported at once, in file order", () => {
    const text = "name: run\nexpect:\n  valid_loss: {min: 2, max: 1}\ndata:\n  valid_fraction: 0.1\n";
    expect(reported(text).map((line) => line.split(": ")[1])).toEqual(["expect.valid_loss.min", "data.valid_fraction"]);
  });
});
