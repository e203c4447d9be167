import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { Ajv } from "ajv";
import { afterAll, describe, expect, it } from "vitest";
import { removeConfigs, writeConfig } from "@crossprop/config/fixtures";
import { executePlan } from "./execute.ts";
import { writeOutputs } from "./outputs.ts";
import { buildPlan } from "./plan.ts";
import { buildResults } from "./results.ts";
import { runInfo } from "./records.fixture.ts";

const dir = mkdtempSync(join(tmpdir(), "crossprop-execute-"));
afterAll(() => {
  removeConfigs();
  rmSync(dir, { recursive: true, force: true });
});

const validate = new Ajv({ allErrors: true, allowUnionTypes: true, strict: true }).compile(
  JSON.parse(readFileSync(new URL("../schema/sweep-results.schema.json", import.meta.url), "utf8")),
);

const plan = buildPlan(writeConfig("name: exec\ndata: { train_size: 300, test_size: 100 }\nmodel: { hidden: [8] }\nsweep:\n  grid:\n    optimizer.lr: [0.1, 1.0e+30, 0.5]\n"));
const header = {
  name: plan.name,
  config_file: plan.file,
  plan: { hash: plan.hash, shape: plan.shape, size: 3, duplicates: 0, paths: plan.paths, trials: [] },
  shard: null,
  objective: { metric: plan.sweep.metric, goal: plan.sweep.goal },
  expect_best: plan.sweep.expect_best,
};

describe("executePlan", () => {
  it("runs the trials, keeps finished ones on a rerun, and writes results.json that validates against its schema", async () => {
    const options = { dir, shard: null, workers: 2, force: false, failFast: false };
    const first = await executePlan(plan, options);
    expect(first.map((r) => [r.index, r.status, r.timings.resumed])).toEqual([[1, "completed", false], [2, "diverged", false], [3, "completed", false]]);
    expect(first[0]!.timings.elapsed_seconds).toBeGreaterThan(0);
    // Two workers at once share the cores: each trial's kernels get cores / 2 threads (at least 1).
    const threads = JSON.parse(readFileSync(join(dir, first[0]!.run_dir!, "summary.json"), "utf8")).threads;
    expect(threads).toBe(Math.max(1, Math.floor(availableParallelism() / 2)));
    // Each finished trial, diverged too, has its report.html (written in its worker).
    expect(first.map((r) => existsSync(join(dir, r.run_dir!, "report.html")))).toEqual([true, true, true]);

    const again = await executePlan(plan, options);
    expect(again.map((r) => r.timings.resumed)).toEqual([true, true, true]);
    expect(again.map((r) => r.timings.elapsed_seconds)).toEqual([null, null, null]);
    expect(again.map((r) => r.metrics)).toEqual(first.map((r) => r.metrics));

    const results = buildResults(header, again, runInfo);
    await writeOutputs(dir, results);
    const written = JSON.parse(readFileSync(join(dir, "results.json"), "utf8"));
    expect(validate(written), JSON.stringify(validate.errors)).toBe(true);
    expect(written.trials[1].error).toMatch(/^diverged: /);
  });

  it("--shard runs only its trials; --fail-fast leaves the rest not_run; --no-report writes no report.html", async () => {
    const sharded = await executePlan(plan, { dir: join(dir, "shard"), shard: { index: 2, count: 2 }, workers: 2, force: false, failFast: false, report: false });
    expect(sharded.map((r) => r.index)).toEqual([2]);
    expect(existsSync(join(dir, "shard", sharded[0]!.run_dir!, "summary.json"))).toBe(true);
    expect(existsSync(join(dir, "shard", sharded[0]!.run_dir!, "report.html"))).toBe(false);
    const stopped = await executePlan(plan, { dir: join(dir, "fail-fast"), shard: null, workers: 1, force: false, failFast: true });
    expect(stopped.map((r) => r.status)).toEqual(["completed", "diverged", "not_run"]);
  });
});
