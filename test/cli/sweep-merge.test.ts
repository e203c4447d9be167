import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { crossprop, tempDir, writeConfig } from "./helpers.ts";

// Grid × random, so the plan exercises both; tiny trials (600 images, 784 → 8 → 10, one epoch).
const sweep = `name: merge-sweep
data: { train_size: 600, test_size: 100 }
model: { hidden: [8] }
sweep:
  grid:
    optimizer.lr: [0.1, 0.5]
  random:
    trials: 3
    seed: 5
    params:
      training.batch_size: { type: int, low: 16, high: 64 }
`;

process.env.GITHUB_STEP_SUMMARY = join(tempDir(), "step-summary.md");

type Results = {
  plan: { hash: string; trials: { index: number; id: string }[] };
  shard: { index: number; count: number } | null;
  trials: { index: number; id: string; status: string; timings: unknown }[];
  run: { kind: string; merged_from: string[] };
  passed: boolean;
};
const read = (dir: string) => JSON.parse(readFileSync(join(dir, "results.json"), "utf8")) as Results;

/** results.json without its wall-clock parts: what must not depend on how the sweep was run. */
function comparable(results: Results) {
  const { run: _run, trials, ...rest } = results;
  return { ...rest, trials: trials.map(({ timings: _timings, ...trial }) => trial) };
}

describe("crossprop sweep --shard i/n, then sweep merge", () => {
  const cwd = tempDir();
  const config = writeConfig(sweep, cwd);
  const whole = join(cwd, "whole");
  let hash = "";
  let shardDirs: string[] = [];
  let merged: ReturnType<typeof crossprop>;

  beforeAll(() => {
    expect(crossprop(["sweep", config, "--workers", "2", "--out", whole, "--quiet"], cwd).status).toBe(0);
    hash = read(whole).plan.hash;
    for (const shard of ["1/2", "2/2"]) {
      const result = crossprop(["sweep", config, "--shard", shard, "--workers", "1", "--quiet"], cwd);
      expect(result.status, result.stderr).toBe(0);
    }
    shardDirs = [1, 2].map((i) => join("runs/merge-sweep", `sweep-${hash}-shard-${i}-of-2`));
    merged = crossprop(["sweep", "merge", ...shardDirs], cwd);
  });

  it("each shard runs a disjoint part of the plan, and together they are all of it", () => {
    const [first, second] = shardDirs.map((dir) => read(join(cwd, dir)));
    expect(first!.shard).toEqual({ index: 1, count: 2 });
    expect(second!.shard).toEqual({ index: 2, count: 2 });
    const ids = [...first!.trials, ...second!.trials].map((t) => t.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.sort()).toEqual(read(whole).plan.trials.map((t) => t.id).sort());
    expect(first!.trials.map((t) => t.index)).toEqual([1, 3, 5]);
  });

  it("merge writes the same results.json trials and metrics as the unsharded run, into runs/<name>/sweep-<hash>", () => {
    expect(merged.status, merged.stderr).toBe(0);
    const out = join(cwd, "runs/merge-sweep", `sweep-${hash}`);
    expect(merged.stdout).toContain(`results: ${join("runs/merge-sweep", `sweep-${hash}`, "results.json")}`);
    const result = read(out);
    expect(result.trials).toHaveLength(6);
    expect(comparable(result)).toEqual(comparable(read(whole)));
    expect(result.run).toMatchObject({ kind: "merge", merged_from: shardDirs });
    for (const trial of result.trials) expect(existsSync(join(out, "trials", trial.id, "summary.json")), trial.id).toBe(true);
    // The merged directory's results.html links to each trial's report.html, copied with the trial.
    const html = readFileSync(join(out, "results.html"), "utf8");
    for (const trial of result.trials) {
      expect(html, trial.id).toContain(`<a href="trials/${trial.id}/report.html">`);
      expect(existsSync(join(out, "trials", trial.id, "report.html")), trial.id).toBe(true);
    }
  });

  it("a lost shard shows up as not_run trials and exit 1, not as a smaller sweep", () => {
    const out = join(tempDir(), "partial");
    const result = crossprop(["sweep", "merge", shardDirs[0]!, "--out", out], cwd);
    expect(result.status).toBe(1);
    expect(read(out).trials.map((t) => t.status)).toEqual(["completed", "not_run", "completed", "not_run", "completed", "not_run"]);
  });

  it("refuses a directory without results, or results of another plan, exit 2", () => {
    const empty = tempDir();
    expect(crossprop(["sweep", "merge", empty], cwd)).toMatchObject({ status: 2, stderr: `error: ${join(empty, "results.json")}: cannot read sweep results: no such file (is this a sweep directory?)\n` });
    const other = join(tempDir(), "other");
    expect(crossprop(["sweep", config, "--set", "seed=1", "--shard", "1/3", "--out", other, "--quiet"], cwd).status).toBe(0);
    const mixed = crossprop(["sweep", "merge", shardDirs[0]!, other], cwd);
    expect(mixed.status).toBe(2);
    expect(mixed.stderr).toMatch(/^error: .*other: results of another sweep plan \(merge-sweep, plan [0-9a-f]{12}\) than runs\/merge-sweep\/sweep-[0-9a-f]{12}-shard-1-of-2 .*; merge only shards of one sweep\n$/);
  });
});
