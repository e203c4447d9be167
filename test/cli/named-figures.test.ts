import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { crossprop, tempDir, writeConfig } from "./helpers.ts";

// Issue 13 item 3: each figure is named for what it measures, in one unit per column.

const json = (file: string) => JSON.parse(readFileSync(file, "utf8"));
const lines = (file: string) =>
  readFileSync(file, "utf8")
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line));

/** 100 examples in one full batch per step: every step is a pass over the training set. */
const fullBatch = (reduction: "sum" | "mean") =>
  `name: figures\ndata: { train_size: 100, test_size: 100 }\nloss: { type: cross_entropy, reduction: ${reduction} }\noptimizer: { lr: 0.01 }\ntraining: { steps: 6, eval_every: 2, batch_size: full }\n`;

describe("summary.json, the table and steps.jsonl", () => {
  it("epochs are passes over the training set, steps are steps, evaluations are metrics.jsonl's lines", () => {
    const out = join(tempDir(), "run");
    const result = crossprop(["run", writeConfig(fullBatch("sum")), "--out", out]);
    expect(result.status).toBe(0);
    const summary = json(join(out, "summary.json"));
    expect(summary).toMatchObject({ schema_version: 2, epochs: 6, steps: 6, evaluations: 3 });
    expect(lines(join(out, "metrics.jsonl"))).toHaveLength(3);
    expect(result.stdout).toMatch(/│ epochs +│ 6 +│/);
    expect(result.stdout).toMatch(/│ steps +│ 6 +│/);
    expect(result.stdout).toMatch(/│ evaluations +│ 3 +│/);
    expect(summary).toHaveProperty("process_peak_rss_mb");
    expect(summary).not.toHaveProperty("peak_rss_mb");
  });

  it("training by steps that end inside an epoch: fractional epochs", () => {
    const out = join(tempDir(), "run");
    const config = writeConfig("name: part\ndata: { train_size: 100, test_size: 100 }\ntraining: { steps: 6, batch_size: 40 }\n");
    expect(crossprop(["run", config, "--out", out, "-q"]).status).toBe(0);
    // 100 examples in batches of 40: 3 steps per epoch (40, 40, 20), so 6 steps are 2 passes; 5 would be 1.6667.
    expect(json(join(out, "summary.json"))).toMatchObject({ epochs: 2, steps: 6 });
    const five = join(tempDir(), "run");
    expect(crossprop(["run", config, "--out", five, "-q", "--set", "training.steps=5"]).status).toBe(0);
    expect(json(join(five, "summary.json"))).toMatchObject({ epochs: 1.6667, steps: 5 });
  });

  it("with reduction: sum, steps.jsonl and the bar's loss are per example, as train_loss is: a sum run's first step equals a mean run's", () => {
    const sum = join(tempDir(), "sum");
    const mean = join(tempDir(), "mean");
    expect(crossprop(["run", writeConfig(fullBatch("sum")), "--out", sum, "-q"]).status).toBe(0);
    expect(crossprop(["run", writeConfig(fullBatch("mean")), "--out", mean, "-q"]).status).toBe(0);
    const [first] = lines(join(sum, "steps.jsonl"));
    expect(Object.keys(first)).toEqual(["step", "epoch", "loss_per_example"]);
    // Same init, same batch, before any update: the loss per example cannot depend on the reduction.
    // float32 sums of 100 rows differ from their mean in the last bits: 1e-6 relative.
    expect(Math.abs(first.loss_per_example - lines(join(mean, "steps.jsonl"))[0].loss_per_example)).toBeLessThan(1e-6 * first.loss_per_example);
    // A per-example loss of 10 classes starts near ln 10 ≈ 2.3, not 100 × that.
    expect(first.loss_per_example).toBeGreaterThan(1);
    expect(first.loss_per_example).toBeLessThan(5);
    // train_loss is the mean of the interval's per-example step losses (full batches: equal weights).
    const steps = lines(join(sum, "steps.jsonl"));
    const [evaluation] = lines(join(sum, "metrics.jsonl"));
    expect(evaluation.train_loss).toBeCloseTo((steps[0].loss_per_example + steps[1].loss_per_example) / 2, 12);
  });

  it("run --backend a,b: the process's peak RSS, said to be the process's, in the table and comparison.json", () => {
    const out = join(tempDir(), "compare");
    const result = crossprop(["run", writeConfig(fullBatch("mean")), "--backend", "manual,autograd", "--out", out, "-q"]);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/│ process peak RSS \(MB\) +│ \d+ +│ \d+ +│/);
    // The note under the table may be broken over lines to fit the width.
    expect(result.stdout.replace(/\s+/g, " ")).toContain("process peak RSS: the crossprop process's peak when that backend had finished (it includes the backends before it)");
    const entries = json(join(out, "comparison.json"));
    for (const entry of entries) expect(entry).toMatchObject({ status: "completed", process_peak_rss_mb: expect.any(Number) });
    // Peaks of one process never go down: the second backend's includes the first's.
    expect(entries[1].process_peak_rss_mb).toBeGreaterThanOrEqual(entries[0].process_peak_rss_mb);
  });

  it("a sweep's results.json records each trial's epochs, steps and evaluations (schema 2)", () => {
    const config = writeConfig(`${fullBatch("mean")}sweep:\n  grid:\n    optimizer.lr: [0.01, 0.02]\n`);
    const out = join(tempDir(), "sweep");
    expect(crossprop(["sweep", config, "--out", out, "--workers", "1", "-q"]).status).toBe(0);
    const results = json(join(out, "results.json"));
    expect(results.schema_version).toBe(2);
    for (const trial of results.trials) expect(trial.metrics).toMatchObject({ epochs: 6, steps: 6, evaluations: 3 });
  });
});
