import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { crossprop, tempDir, writeConfig } from "./helpers.ts";

// configs/mlp.yaml as shipped (epochs 20, split pooled with valid_fraction, normal init with std),
// cut to 200 training images and two steps so each case takes about a second. Its expect: bound
// is for the full run, so the cases that train pass --no-expect.
const small = ["--set", "data.train_size=200", "--set", "data.test_size=100", "--no-expect", "--quiet"];

/** Stderr must be notes and errors only: no stack trace, no internal error. */
function expectNoTrace(stderr: string): void {
  expect(stderr).not.toMatch(/\n\s+at /);
  expect(stderr).not.toMatch(/internal error/);
}

const resolved = (dir: string) => parse(readFileSync(join(dir, "config.resolved.yaml"), "utf8"));

describe("a --set wins over configs/mlp.yaml's conflicting sibling, with one note", () => {
  it("--set training.steps=2 replaces training.epochs: 20 (the path as typed)", () => {
    const out = join(tempDir(), "run");
    const result = crossprop(["run", "configs/mlp.yaml", "--set", "training.steps=2", ...small, "--out", out]);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stderr).toBe("note: --set training.steps=2 replaces training.epochs: 20 from configs/mlp.yaml\n");
    expect(resolved(out).training).toMatchObject({ epochs: 1, steps: 2 });
    expect(JSON.parse(readFileSync(join(out, "summary.json"), "utf8")).steps).toBe(2);
  });

  it("--set data.split=standard replaces valid_fraction; --set model.init.weights.type=kaiming replaces std: 1.0", () => {
    const split = join(tempDir(), "run");
    let result = crossprop(["run", "configs/mlp.yaml", "--set", "data.split=standard", "--set", "training.steps=1", ...small, "--out", split]);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stderr.split("\n")).toContain("note: --set data.split=standard replaces data.valid_fraction: 0.15 from configs/mlp.yaml");
    expect(resolved(split).data.split).toBe("standard");
    const init = join(tempDir(), "run");
    result = crossprop(["run", "configs/mlp.yaml", "--set", "model.init.weights.type=kaiming", "--set", "training.steps=1", ...small, "--out", init]);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stderr.split("\n")).toContain("note: --set model.init.weights.type=kaiming replaces model.init.weights.std: 1.0 from configs/mlp.yaml");
    expect(resolved(init).model.init.weights.type).toBe("kaiming");
    expectNoTrace(result.stderr);
  });

  it("a conflict within the file, or between two --set values, is still an error (exit 2, one line each)", () => {
    const config = writeConfig("name: t\ndata: { train_size: 100, test_size: 100 }\ntraining: { epochs: 3, steps: 100 }\n");
    let result = crossprop(["run", config, "--quiet", "--out", join(tempDir(), "run")]);
    expect(result.status).toBe(2);
    expect(result.stderr).toBe(`error: ${config}:3:21: training.epochs: is ignored because training.steps is 100 (line 3); keep one of the two\n`);
    result = crossprop(["run", "configs/mlp.yaml", "--set", "optimizer.type=adam", "--set", "optimizer.momentum=0.5", "--quiet", "--out", join(tempDir(), "run")]);
    expect(result.status).toBe(2);
    expect(result.stderr).toBe("error: --set optimizer.momentum=0.5: optimizer.momentum: 0.5 is only used by type momentum, but optimizer.type is adam (--set optimizer.type=adam)\n");
  });
});

describe("--set '~path' removes a key", () => {
  it("the file's key is gone and its default applies; the resolved config records the run as made", () => {
    const out = join(tempDir(), "run");
    const result = crossprop(["run", "configs/mlp.yaml", "--set", "~training.epochs", "--set", "~model.init.biases", ...small, "--out", out]);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stderr).toBe("");
    expect(resolved(out).training.epochs).toBe(1);
    expect(resolved(out).model.init.biases.type).toBe("zeros");
  });

  it("a key that is not there is an error, with a did-you-mean when it is misspelled", () => {
    const result = crossprop(["run", "configs/mlp.yaml", "--set", "~training.epoch", "--quiet", "--out", join(tempDir(), "run")]);
    expect(result.status).toBe(2);
    expect(result.stderr).toBe('error: --set ~training.epoch: training.epoch: is not in the config, so there is nothing to remove — did you mean "epochs"?\n');
  });
});

describe("sweep: a --set applies to every trial, a swept value wins over the file's sibling; one note each", () => {
  it("notes once per sweep, and each trial ran the effective config", () => {
    const text = "name: wins\ndata: { train_size: 200, test_size: 100 }\nmodel: { hidden: [] }\noptimizer: { type: momentum, momentum: 0.5 }\ntraining: { epochs: 3 }\nsweep:\n  grid:\n    optimizer.type: [momentum, sgd]\n";
    const config = writeConfig(text);
    const out = join(tempDir(), "sweep");
    const result = crossprop(["sweep", config, "--set", "training.steps=2", "--workers", "1", "--quiet", "--out", out]);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stderr).toBe(
      `note: --set training.steps=2 replaces training.epochs: 3 from ${config}\nnote: sweep.grid optimizer.type replaces optimizer.momentum: 0.5 from ${config} (in 1 of 2 trials)\n`,
    );
    const trials = JSON.parse(readFileSync(join(out, "results.json"), "utf8")).trials as { id: string; metrics: { steps: number } }[];
    expect(trials.map((trial) => trial.metrics.steps)).toEqual([2, 2]);
    expect(trials.map((trial) => resolved(join(out, "trials", trial.id)).optimizer.type)).toEqual(["momentum", "sgd"]);
  });
});

describe("check options name themselves", () => {
  it("check --steps 0 blames --steps 0, not a --set the user never typed", () => {
    const result = crossprop(["check", "configs/mlp.yaml", "--steps", "0", "--quiet"]);
    expect(result.status).toBe(2);
    expect(result.stderr).toBe("error: --steps 0: check.steps: expected an integer ≥ 1, got 0\n");
  });
});
