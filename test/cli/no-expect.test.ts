import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { crossprop, tempDir, writeConfig } from "./helpers.ts";

/** Stderr must be notes and errors only: no stack trace, no internal error. */
function expectNoTrace(stderr: string): void {
  expect(stderr).not.toMatch(/\n\s+at /);
  expect(stderr).not.toMatch(/internal error/);
}

describe("run --no-expect: a shortened run of a shipped config", () => {
  it("the README's own example exits 0, its bound listed as not checked, and the run directory says nothing was checked", () => {
    const out = join(tempDir(), "run");
    const started = Date.now();
    const result = crossprop(["run", "configs/mlp.yaml", "--set", "optimizer.lr=0.5", "--set", "training.epochs=3", "--no-expect", "--quiet", "--out", out]);
    // Three full-MNIST epochs of the MLP: seconds; the bound catches a hang, not speed.
    expect(Date.now() - started).toBeLessThan(120_000);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stderr).toBe("");
    expect(result.stdout).toMatch(/\n– expect valid_accuracy ≥ 0\.915: not checked \(--no-expect\); got 0\.\d+\n$/);
    const summary = JSON.parse(readFileSync(join(out, "summary.json"), "utf8"));
    expect(summary).toMatchObject({ status: "completed", expectations: [], passed: true });
    expect(parse(readFileSync(join(out, "config.resolved.yaml"), "utf8")).expect).toEqual({});
  });

  it("without it, the shortened run misses the bound (exit 1) and the error says how to skip it", () => {
    const result = crossprop(["run", "configs/mlp.yaml", "--set", "data.train_size=200", "--set", "data.test_size=100", "--set", "training.epochs=1", "--quiet", "--out", join(tempDir(), "run")]);
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/\n✗ expect valid_accuracy ≥ 0\.915: got 0\.\d+\n$/);
    expect(result.stderr).toBe(
      "error: 1 expectation(s) not met: valid_accuracy; the bounds are the config file's, for the run as written — --no-expect trains without checking them\n",
    );
  });
});

// Two tiny trials (200 images, 784 → 10, one epoch: ~0.5 s each) reach 0.3–0.7 validation accuracy:
// a floor of 0.99 fails every one of them, 0.01 passes every one.
const sweepConfig = (floor: number) => `name: judged
data: { train_size: 200, test_size: 100 }
model: { hidden: [] }
expect:
  valid_accuracy: { min: ${floor} }
sweep:
  grid:
    optimizer.lr: [0.1, 0.5]
  expect_best:
    valid_accuracy: { min: ${floor} }
`;

interface Results {
  passed: boolean;
  plan: { sets: string[] };
  best_expectations: { threshold: number; passed: boolean }[];
  trials: { id: string; passed: boolean; expectations: { threshold: number; passed: boolean }[]; timings: { resumed: boolean } }[];
}
const results = (dir: string) => JSON.parse(readFileSync(join(dir, "results.json"), "utf8")) as Results;
const summaries = (dir: string, r: Results) => r.trials.map((trial) => readFileSync(join(dir, "trials", trial.id, "summary.json"), "utf8"));

describe("bounds are not part of a trial's id: sweep --no-expect, then a changed threshold, re-judge instead of retraining", () => {
  it("--no-expect checks nothing; the same sweep with bounds, then with other bounds, resumes every trial and judges it anew", () => {
    const config = writeConfig(sweepConfig(0.99));
    const dir = join(tempDir(), "sweep");
    const sweep = (...extra: string[]) => crossprop(["sweep", config, "--workers", "1", "--quiet", "--out", dir, ...extra]);

    let result = sweep("--no-expect");
    expect(result.status, result.stderr).toBe(0);
    expect(result.stderr).toBe("note: --no-expect: not checked: expect valid_accuracy ≥ 0.99, sweep.expect_best valid_accuracy ≥ 0.99\n");
    let recorded = results(dir);
    expect(recorded).toMatchObject({ passed: true, best_expectations: [], plan: { sets: ["expect={}", "sweep.expect_best={}"] } });
    expect(recorded.trials.map((t) => t.expectations)).toEqual([[], []]);
    const trained = summaries(dir, recorded);

    result = sweep();
    expect(result.status).toBe(1);
    expectNoTrace(result.stderr);
    recorded = results(dir);
    expect(recorded.trials.map((t) => [t.timings.resumed, t.passed, t.expectations.map((e) => e.threshold)])).toEqual([[true, false, [0.99]], [true, false, [0.99]]]);
    expect(recorded.best_expectations).toMatchObject([{ threshold: 0.99, passed: false }]);
    expect(result.stderr).toMatch(/\nerror: the best trial missed sweep\.expect_best: valid_accuracy\n/);

    writeFileSync(config, sweepConfig(0.01));
    result = sweep();
    expect(result.status, result.stderr).toBe(0);
    recorded = results(dir);
    expect(recorded.trials.map((t) => [t.timings.resumed, t.passed, t.expectations.map((e) => e.threshold)])).toEqual([[true, true, [0.01]], [true, true, [0.01]]]);
    // Not retrained: each trial's own files are as the first sweep wrote them.
    expect(summaries(dir, recorded)).toEqual(trained);
  });

  it("merge re-judges shards run with other bounds by the config's bounds now", () => {
    const config = writeConfig(sweepConfig(0.99));
    const shards = [1, 2].map((index) => {
      const out = join(tempDir(), `shard-${index}`);
      const result = crossprop(["sweep", config, "--shard", `${index}/2`, "--workers", "1", "--quiet", "--out", out]);
      expect(result.status).toBe(1);
      return out;
    });
    writeFileSync(config, sweepConfig(0.01));
    const merged = join(tempDir(), "merged");
    const result = crossprop(["sweep", "merge", ...shards, "--out", merged]);
    expect(result.status, result.stderr).toBe(0);
    expectNoTrace(result.stderr);
    const recorded = results(merged);
    expect(recorded.passed).toBe(true);
    expect(recorded.trials.map((t) => t.expectations.map((e) => [e.threshold, e.passed]))).toEqual([[[0.01, true]], [[0.01, true]]]);
    expect(recorded.best_expectations).toMatchObject([{ threshold: 0.01, passed: true }]);
  });
});
