import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { tempDir, writeConfig } from "../cli/helpers.ts";
import { crosspropWithin, stackTrace, type TimedResult } from "./mounts.ts";

// Errors that used to come late, or differently per backend: an unsupported setting is refused
// before any backend trains; a divergence is found by the train loop with one rule (a loss or
// parameter not finite in the run's dtype), so every backend stops at the same step, and one
// backend's divergence does not stop the others; a loss that explodes but stays finite is a warning.
type Json = Record<string, any>;
const readJson = (file: string) => JSON.parse(readFileSync(file, "utf8")) as Json;
const BACKENDS = ["manual", "autograd", "tfjs"];

function expectClean(result: TimedResult, status: number): void {
  expect(result.timedOut).toBe(false);
  expect(result.stderr).not.toMatch(stackTrace);
  expect(result.status).toBe(status);
}

describe("run --backend all: support checked before any backend trains", () => {
  it("--set dtype=float64 (tfjs is float32 only): exit 2 at once, no run directory", () => {
    const out = join(tempDir(), "compare");
    const config = writeConfig("name: f64\ndata: { train_size: 100, test_size: 100 }\ntraining: { epochs: 1 }\n");
    const started = performance.now();
    const result = crosspropWithin(["run", config, "--backend", "all", "--set", "dtype=float64", "--out", out, "-q"], { timeoutMs: 30_000 });
    expectClean(result, 2);
    expect(result.stderr).toBe("error: --set dtype=float64: dtype: backend tfjs does not support dtype float64 (supported: float32)\n");
    expect(result.stdout).toBe("");
    expect(existsSync(out)).toBe(false);
    expect(performance.now() - started).toBeLessThan(15_000); // refused, not trained first (each backend takes seconds)
  });
});

describe("divergence: one rule, applied by the train loop", () => {
  // Linear MSE at lr 1e6: the loss grows ~1e13× a step; manual sums it in doubles, autograd and tfjs
  // in float32, which used to stop them at steps 7, 4 and 4. Past float32's range is diverged.
  const config = writeConfig("name: explode\ndata: { train_size: 1000, test_size: 100 }\nmodel: { hidden: [] }\nloss: { type: mse }\noptimizer: { lr: 1.0e+6 }\ntraining: { epochs: 1 }\n");

  it("every backend stops at step 4; each is shown as diverged and each after the first still trains: exit 1", () => {
    const out = join(tempDir(), "compare");
    const result = crosspropWithin(["run", config, "--backend", "all", "--out", out, "-q"], { timeoutMs: 60_000 });
    expectClean(result, 1);
    const hint = "Hint: lower optimizer.lr (this step's rate was 1000000), use a smaller init (model.init.weights), or check the data.";
    expect(result.stderr).toBe(
      [
        `error: manual: diverged: the loss is 5.957544075259124e+39 (beyond float32's range) at step 4 (epoch 1). ${hint}`,
        `error: autograd: diverged: the loss is Infinity at step 4 (epoch 1). ${hint}`,
        `error: tfjs: diverged: the loss is Infinity at step 4 (epoch 1). ${hint}`,
        "error: 3 of 3 backends diverged: manual, autograd, tfjs",
        "",
      ].join("\n"),
    );
    // At 80 columns the three columns do not fit side by side: the table goes on below, each train_loss cell says it.
    expect(result.stdout.match(/│ train_loss +│( diverged at step 4 +│)+/g)!.join("").match(/diverged at step 4/g)).toHaveLength(3);
    // Each backend's directory: a diverged summary at 3 steps, the history, no final parameters.
    // The comparison's report.html shows the three up to where they diverged.
    expect(readdirSync(out).sort()).toEqual(["autograd", "comparison.json", "comparison.txt", "manual", "report.html", "tfjs"]);
    for (const backend of BACKENDS) {
      const summary = readJson(join(out, backend, "summary.json"));
      expect(summary, backend).toMatchObject({ status: "diverged", steps: 3, backend });
      expect(existsSync(join(out, backend, "final.safetensors")), backend).toBe(false);
      expect(existsSync(join(out, backend, "init.safetensors")), backend).toBe(true);
    }
    const comparison = readJson(join(out, "comparison.json")) as unknown as Json[];
    expect(comparison.map((entry) => [entry.backend, entry.status, entry.diverged_at_step])).toEqual(BACKENDS.map((b) => [b, "diverged", 4]));
    expect(readFileSync(join(out, "comparison.txt"), "utf8")).toContain("diverged at step 4");
  });

  it("one backend alone: the divergence is the command's error, exit 1", () => {
    const out = join(tempDir(), "run");
    const result = crosspropWithin(["run", config, "--backend", "tfjs", "--out", out, "-q"], { timeoutMs: 60_000 });
    expectClean(result, 1);
    expect(result.stderr).toMatch(/^error: diverged: the loss is Infinity at step 4 \(epoch 1\)\. Hint: lower optimizer\.lr/);
    expect(result.stderr.split("\n")).toHaveLength(2);
    expect(readJson(join(out, "summary.json"))).toMatchObject({ status: "diverged", steps: 3 });
  });

  it("a ReLU MLP at lr 1e6 stays finite but explodes: completed, exit 0, one warning line per backend and a summary.json field", () => {
    const mlp = writeConfig("name: boom\ndata: { train_size: 100, test_size: 100 }\nmodel: { hidden: [32], activation: relu }\noptimizer: { lr: 1.0e+6 }\ntraining: { epochs: 1 }\n");
    const out = join(tempDir(), "compare");
    const result = crosspropWithin(["run", mlp, "--backend", "all", "--out", out, "-q"], { timeoutMs: 60_000 });
    expectClean(result, 0);
    const lines = result.stderr.split("\n").filter((line) => line !== "");
    expect(lines).toHaveLength(3);
    lines.forEach((line, i) =>
      expect(line).toMatch(new RegExp(`^warning: ${BACKENDS[i]}: explosive growth: the training loss reached \\d\\.\\d{3}e\\+\\d+ at step \\d+, \\d\\.\\de\\+\\d+× its first value \\(2\\.\\d{3}\\); the run completed but its results are likely meaningless — lower optimizer\\.lr$`)),
    );
    for (const backend of BACKENDS) {
      const summary = readJson(join(out, backend, "summary.json"));
      expect(summary.status, backend).toBe("completed");
      expect(summary.warnings, backend).toEqual([lines[BACKENDS.indexOf(backend)]!.replace(`warning: ${backend}: `, "")]);
      expect(existsSync(join(out, backend, "final.safetensors")), backend).toBe(true);
    }
  });

  it("a run that learns has no warnings", () => {
    const out = join(tempDir(), "run");
    const config = writeConfig("name: calm\ndata: { train_size: 100, test_size: 100 }\ntraining: { epochs: 1 }\n");
    const result = crosspropWithin(["run", config, "--out", out, "-q"], { timeoutMs: 60_000 });
    expectClean(result, 0);
    expect(result.stderr).toBe("");
    expect(readJson(join(out, "summary.json")).warnings).toEqual([]);
  });
});
