import { afterAll, describe, expect, it } from "vitest";
import { ConfigError } from "@crossprop/config";
import { removeConfigs, writeConfig } from "@crossprop/config/fixtures";
import { buildPlan } from "./plan.ts";

afterAll(removeConfigs);

function sectionErrors(sweep: string): string[] {
  const file = writeConfig(`name: tiny\nsweep:\n${sweep}`);
  try {
    buildPlan(file);
  } catch (error) {
    if (error instanceof ConfigError) return error.message.split("\n").map((line) => line.slice(file.length + 1));
    throw error;
  }
  throw new Error("expected a ConfigError");
}

describe("sweep section checks", () => {
  it("a sweep must sweep something", () => {
    expect(sectionErrors("  metric: valid_loss\n")).toEqual(["3:3: sweep: has nothing to sweep; add sweep.grid (path → list of values) or sweep.random"]);
  });

  it("keys are dotted config paths, never into the sweep section", () => {
    expect(sectionErrors("  grid:\n    optimizer..lr: [1]\n    sweep.goal: [min]\n")).toEqual([
      '4:5: sweep.grid.optimizer..lr: expected a dotted config path such as optimizer.lr or model.hidden[0], got "optimizer..lr"',
      "5:5: sweep.grid.sweep.goal: a trial cannot change the sweep section itself",
    ]);
  });

  it("a pass/fail bound is not swept: it is not part of a trial, so its trials would be one", () => {
    expect(sectionErrors("  random:\n    trials: 2\n    params:\n      expect.valid_accuracy.min: { type: uniform, low: 0.1, high: 0.9 }\n")).toEqual([
      "6:7: sweep.random.params.expect.valid_accuracy.min: a pass/fail bound is not part of a trial, so it cannot be swept; set expect: once for every trial, or sweep.expect_best for the best",
    ]);
  });

  it("each random type reads its own fields", () => {
    const lines = sectionErrors(
      "  random:\n    trials: 2\n    params:\n      optimizer.lr: { type: uniform, low: 0.1, values: [1] }\n      backend: { type: choice }\n",
    );
    expect(lines).toEqual([
      "6:48: sweep.random.params.optimizer.lr.values: is not used by type uniform (low, high only)",
      "6:21: sweep.random.params.optimizer.lr: type uniform needs high",
      "7:16: sweep.random.params.backend: type choice needs values",
    ]);
  });

  it("ranges are ordered; log_uniform needs low > 0; int needs integers", () => {
    const lines = sectionErrors(
      [
        "  random:",
        "    trials: 2",
        "    params:",
        "      optimizer.lr: { type: log_uniform, low: 0, high: 1 }",
        "      optimizer.momentum: { type: uniform, low: 0.9, high: 0.5 }",
        "      training.batch_size: { type: int, low: 8.5, high: 64 }",
        "",
      ].join("\n"),
    );
    expect(lines).toEqual([
      "6:47: sweep.random.params.optimizer.lr.low: expected > 0 for type log_uniform (it draws ln low), got 0",
      "7:49: sweep.random.params.optimizer.momentum.low: expected less than high 0.5, got 0.9",
      "8:46: sweep.random.params.training.batch_size.low: expected an integer for type int, got 8.5",
    ]);
  });

  it("a path is swept in one place, random params are not empty, expect_best bounds can pass", () => {
    const lines = sectionErrors(
      "  grid:\n    optimizer.lr: [0.1]\n  random:\n    trials: 1\n    params:\n      optimizer.lr: { type: uniform, low: 0.1, high: 1 }\n  expect_best:\n    valid_accuracy: { min: 0.9, max: 0.8 }\n",
    );
    expect(lines).toEqual([
      "8:7: sweep.random.params.optimizer.lr: is also in sweep.grid; sweep each path in one place",
      "10:28: sweep.expect_best.valid_accuracy.min: 0.9 is greater than max 0.8, so no trial can pass",
    ]);
    expect(sectionErrors("  random:\n    trials: 1\n    params: {}\n")).toEqual([
      "5:13: sweep.random.params: expected at least one path to draw, e.g. optimizer.lr: {type: log_uniform, low: 0.001, high: 1}",
    ]);
  });
});
