import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { ConfigError } from "@crossprop/config";
import { removeConfigs, writeConfig } from "@crossprop/config/fixtures";
import { describeParams } from "./param-text.ts";
import { buildPlan, MAX_TRIALS } from "./plan.ts";

afterAll(removeConfigs);

const base = "name: tiny\ndata: { train_size: 500, test_size: 100 }\n";

/** The error's lines; fails the test if the plan builds. */
function planErrors(text: string, sets: string[] = []): { file: string; lines: string[] } {
  const file = writeConfig(text);
  try {
    buildPlan(file, sets);
  } catch (error) {
    if (error instanceof ConfigError) return { file, lines: error.message.split("\n") };
    throw error;
  }
  throw new Error("expected a ConfigError");
}

describe("buildPlan", () => {
  it("expands the grid into trials with ids, --set overrides and a plan hash", () => {
    const file = writeConfig(`${base}sweep:\n  grid:\n    optimizer.lr: [0.1, 0.5]\n    model.hidden: [[], [16]]\n`);
    const plan = buildPlan(file);
    expect(plan.name).toBe("tiny");
    expect(plan.paths).toEqual(["optimizer.lr", "model.hidden"]);
    expect(plan.shape).toBe("2 × 2 grid");
    expect(plan.trials.map((t) => describeParams(t.params))).toEqual([
      "optimizer.lr=0.1 model.hidden=[]",
      "optimizer.lr=0.1 model.hidden=[16]",
      "optimizer.lr=0.5 model.hidden=[]",
      "optimizer.lr=0.5 model.hidden=[16]",
    ]);
    expect(plan.trials.map((t) => t.index)).toEqual([1, 2, 3, 4]);
    expect(plan.trials[1]!.sets).toEqual(["optimizer.lr=0.1", "model.hidden=[ 16 ]"]);
    expect(new Set(plan.trials.map((t) => t.id)).size).toBe(4);
    expect(plan.hash).toMatch(/^[0-9a-f]{12}$/);
    expect(buildPlan(file)).toEqual(plan);
  });

  it("a trial's id does not depend on the sweep section: widening the grid keeps the finished trials' ids", () => {
    const narrow = buildPlan(writeConfig(`${base}sweep:\n  grid:\n    optimizer.lr: [0.1]\n`));
    const wide = buildPlan(writeConfig(`${base}sweep:\n  metric: valid_loss\n  goal: min\n  grid:\n    optimizer.lr: [0.1, 0.5]\n`));
    expect(wide.trials[0]!.id).toBe(narrow.trials[0]!.id);
    expect(wide.hash).not.toBe(narrow.hash);
  });

  it("--set from the command line reaches every trial, and so changes every id", () => {
    const file = writeConfig(`${base}sweep:\n  grid:\n    optimizer.lr: [0.1, 0.5]\n`);
    const plain = buildPlan(file);
    const seeded = buildPlan(file, ["seed=3"]);
    expect(seeded.trials[0]!.sets).toEqual(["seed=3", "optimizer.lr=0.1"]);
    expect(seeded.trials.map((t) => t.id)).not.toContain(plain.trials[0]!.id);
  });

  it("random draws cross every grid point; identical configs run once", () => {
    const text = `${base}sweep:\n  grid:\n    seed: [1, 2]\n  random:\n    trials: 5\n    params:\n      backend: { type: choice, values: [manual] }\n      optimizer.lr: { type: uniform, low: 0.1, high: 0.2 }\n`;
    const plan = buildPlan(writeConfig(text));
    expect(plan.shape).toBe("2 grid × 5 random draws");
    expect(plan.trials).toHaveLength(10);
    expect(plan.trials[4]!.params.map((p) => p.path)).toEqual(["seed", "backend", "optimizer.lr"]);
    const same = buildPlan(writeConfig(`${base}sweep:\n  random:\n    trials: 4\n    params:\n      backend: { type: choice, values: [manual] }\n`));
    expect(same.trials).toHaveLength(1);
    expect(same.duplicates).toBe(3);
  });
});

describe("buildPlan: every trial is validated before anything runs", () => {
  it("a bad grid value names the trials and the path, at the value's line:column", () => {
    const text = `${base}sweep:\n  grid:\n    optimizer.lr: [0.1, -1]\n    training.batch_size: [32, 64]\n`;
    const { file, lines } = planErrors(text);
    expect(lines).toEqual([`${file}:5:25: optimizer.lr: expected a number > 0, got -1 (in trials #3, #4 of 4)`]);
  });

  it("reports every invalid trial at once; a lone one is named with its parameters", () => {
    const text = `${base}sweep:\n  grid:\n    training.batch_size: [0, 64]\n    model.hidden: [[16], [16, 0]]\n`;
    const { file, lines } = planErrors(text);
    expect(lines).toEqual([
      `${file}:5:27: training.batch_size: expected an integer ≥ 1 or "full", got 0 (in trials #1, #2 of 4)`,
      `${file}:6:31: model.hidden[1]: expected an integer ≥ 1, got 0 (in trials #2, #4 of 4)`,
    ]);
    const one = planErrors(`${base}sweep:\n  grid:\n    optimizer.lr: [0.1, 0.5]\n    model.activation: [relu, relu6]\n`);
    expect(one.lines).toEqual([
      `${one.file}:6:30: model.activation: expected one of relu, tanh, sigmoid, identity, got "relu6" (in trials #2, #4 of 4) — did you mean "relu"?`,
    ]);
    const single = planErrors(`${base}sweep:\n  grid:\n    optimizer.lr: [0.1, -2]\n`);
    expect(single.lines).toEqual([`${single.file}:5:25: optimizer.lr: expected a number > 0, got -2 (in trial #2 of 2: optimizer.lr=-2)`]);
  });

  it("a misspelled path points at the grid key, with a did-you-mean", () => {
    const { file, lines } = planErrors(`${base}sweep:\n  grid:\n    optimzer.lr: [0.1, 0.5]\n`);
    expect(lines).toEqual([`${file}:5:5: optimzer: unknown key (in trials #1, #2 of 2) — did you mean "optimizer"?`]);
  });

  it("an unknown field at the end of a swept path points at the grid key once, whatever the values", () => {
    const { file, lines } = planErrors(`${base}sweep:\n  grid:\n    optimizer.lrr: [0.1, 0.5]\n`);
    expect(lines).toEqual([`${file}:5:5: optimizer.lrr: unknown key (in trials #1, #2 of 2) — did you mean "lr"?`]);
  });

  it("a cross-field message names the sweep entry, not the --set a trial is made of", () => {
    const { file, lines } = planErrors(`${base}optimizer: { type: sgd }\nsweep:\n  grid:\n    optimizer.momentum: [0.5]\n`);
    expect(lines).toEqual([`${file}:6:26: optimizer.momentum: 0.5 is only used by type momentum, but optimizer.type is sgd (line 3) (in trial #1 of 1: optimizer.momentum=0.5)`]);
  });

  it("a swept value wins over the file's conflicting sibling as a --set does: one note for the sweep, not one per trial", () => {
    const file = writeConfig(`${base}optimizer: { type: momentum, momentum: 0.5 }\ntraining: { epochs: 2 }\nsweep:\n  grid:\n    optimizer.type: [momentum, sgd, adam]\n`);
    const plan = buildPlan(file, ["training.steps=3"]);
    expect(plan.trials).toHaveLength(3);
    expect(plan.replacements.map(({ origin, dropped, value, scope }) => ({ origin, dropped, value, scope }))).toEqual([
      { origin: "--set training.steps=3", dropped: "training.epochs", value: "2", scope: undefined },
      { origin: "sweep.grid optimizer.type", dropped: "optimizer.momentum", value: "0.5", scope: "(in 2 of 3 trials)" },
    ]);
  });

  it("pass/fail bounds are not part of a trial's id: changing a threshold keeps the ids", () => {
    const sweep = "sweep:\n  grid:\n    optimizer.lr: [0.1, 0.5]\n";
    const ids = (expect: string) => buildPlan(writeConfig(`${base}${expect}${sweep}`)).trials.map((trial) => trial.id);
    const loose = ids("expect: { valid_accuracy: { min: 0.1 } }\n");
    expect(ids("expect: { valid_accuracy: { min: 0.9 } }\n")).toEqual(loose);
    expect(ids("")).toEqual(loose);
    expect(buildPlan(writeConfig(`${base}expect: { valid_accuracy: { min: 0.9 } }\n${sweep}`)).trials[0]!.expect).toEqual({ valid_accuracy: { min: 0.9 } });
  });

  it("a trial its backend cannot run is refused with the plan, before any trial trains", () => {
    const { file, lines } = planErrors(`${base}dtype: float64\nsweep:\n  grid:\n    backend: [manual, tfjs]\n`);
    expect(lines).toEqual([`${file}:3:8: dtype: backend tfjs does not support dtype float64 (supported: float32) (in trial #2 of 2: backend=tfjs)`]);
  });

  it("a random range that yields invalid values names the trial and points at its entry", () => {
    const { file, lines } = planErrors(`${base}sweep:\n  random:\n    trials: 1\n    params:\n      training.batch_size: { type: int, low: -3, high: -1 }\n`);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^${file}:7:28: training.batch_size: expected an integer ≥ 1 or "full", got -\\d \\(in trial #1 of 1: training.batch_size=-\\d\\)$`));
  });

  it(`refuses a plan of more than ${MAX_TRIALS} trials before making any: a 10-path × 10-value grid at once`, () => {
    const paths = ["optimizer.lr", "optimizer.momentum", "optimizer.beta1", "optimizer.beta2", "optimizer.epsilon", "optimizer.weight_decay", "seed", "data.train_size", "data.test_size", "training.epochs"];
    const grid = paths.map((path) => `    ${path}: [${Array.from({ length: 10 }, (_, v) => (path === "optimizer.lr" || path.startsWith("optimizer.") ? 0.01 * (v + 1) : v + 1)).join(", ")}]`);
    const started = Date.now();
    const { file, lines } = planErrors(`${base}sweep:\n  grid:\n${grid.join("\n")}\n`);
    expect(lines).toEqual([
      `${file}:5:5: sweep.grid: the plan has 10,000,000,000 trials (10 × 10 × 10 × 10 × 10 × 10 × 10 × 10 × 10 × 10 grid), more than the 10,000 a sweep may hold; split it into smaller sweeps or use random search`,
    ]);
    expect(Date.now() - started).toBeLessThan(2000);
    const random = planErrors(`${base}sweep:\n  random:\n    trials: 100000000000000000000\n    params: { optimizer.lr: { type: log_uniform, low: 0.001, high: 1 } }\n`);
    expect(random.lines).toEqual([
      `${random.file}:5:13: sweep.random.trials: the plan has 1.00e+20 trials (100000000000000000000 random draws), more than the 10,000 a sweep may hold; split it into smaller sweeps or use random search`,
    ]);
  });

  it("a config without a sweep section, or with an invalid one, is a config error", () => {
    expect(planErrors(base).lines).toEqual([expect.stringMatching(/: sweep: missing; a sweep config needs a sweep: section/)]);
    const { file, lines } = planErrors(`${base}sweep:\n  grid:\n    optimizer.lr: 0.1\n  goal: maximise\n`);
    expect(lines).toEqual([
      `${file}:5:19: sweep.grid.optimizer.lr: expected a non-empty list of unique items, got 0.1`,
      `${file}:6:9: sweep.goal: expected one of max, min, got "maximise" — did you mean "max"?`,
    ]);
  });
});

describe("the shipped sweeps in configs/sweeps/", () => {
  const shipped = (name: string) => fileURLToPath(new URL(`../../../configs/sweeps/${name}`, import.meta.url));

  it("docs/sweep.md's example sweep section plans", () => {
    const page = readFileSync(shipped("../../docs/sweep.md"), "utf8");
    const example = /## The `sweep:` section\n\n```yaml\n([^`]+)```/.exec(page)![1]!;
    const plan = buildPlan(writeConfig(`name: example\n${example}`));
    expect([plan.shape, plan.trials.length]).toEqual(["3 × 4 × 2 grid × 8 random draws", 192]);
  });

  it("plan as documented, and point editors at the schema", () => {
    const lrBatch = buildPlan(shipped("lr-batch.yaml"));
    expect([lrBatch.trials.length, lrBatch.shape, lrBatch.paths]).toEqual([12, "3 × 4 grid", ["optimizer.lr", "training.batch_size"]]);
    const backendModel = buildPlan(shipped("backend-model.yaml"));
    expect([backendModel.trials.length, backendModel.shape, backendModel.paths]).toEqual([9, "3 × 3 grid", ["backend", "model.hidden"]]);
    for (const name of ["lr-batch.yaml", "backend-model.yaml"]) {
      expect(readFileSync(shipped(name), "utf8").split("\n")[0]).toBe("# yaml-language-server: $schema=../../packages/config/schema/crossprop.schema.json");
    }
  });
});
