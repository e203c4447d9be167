import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { repoRoot, tempDir, writeConfig } from "./helpers.ts";

// Five tiny trials (100 images, 784 → 8 → 10, one epoch); shard 2/3 of them is trials #2 and #5.
const sweep = `name: auto-shard
data: { train_size: 100, test_size: 100 }
model: { hidden: [8] }
training: { epochs: 1 }
sweep:
  grid:
    optimizer.lr: [0.1, 0.2, 0.3, 0.4, 0.5]
`;

// What the test's own machine sets (a CI runner's CIRCLE_NODE_INDEX, GITHUB_ACTIONS …) must not leak in.
const SHARD_VARIABLES = /^(CROSSPROP_SHARD_|JOB_COMPLETION_INDEX$|AWS_BATCH_|SLURM_|CI_NODE_|CIRCLE_NODE_|BUILDKITE_PARALLEL_|GITHUB_ACTIONS$|GITHUB_STEP_SUMMARY$)/;
const clean = Object.fromEntries(Object.entries(process.env).filter(([name]) => !SHARD_VARIABLES.test(name)));

/** The real CLI with exactly `env` as the cluster's variables; a hang is a failure. */
function sweepWith(env: Readonly<Record<string, string | undefined>>, args: string[], cwd: string) {
  const started = Date.now();
  const result = spawnSync(process.execPath, [join(repoRoot, "packages/cli/bin/crossprop.js"), "sweep", ...args], {
    cwd,
    encoding: "utf8",
    timeout: 60_000,
    env: { ...clean, ...env, INIT_CWD: cwd },
  });
  expect(Date.now() - started, "within the spawn timeout").toBeLessThan(60_000);
  expect(result.stderr).not.toMatch(/\n\s+at |internal error/);
  return result;
}

interface Results {
  shard: { index: number; count: number; source?: string; variables?: Record<string, string> } | null;
  trials: { index: number; id: string; status: string; metrics: Record<string, unknown> }[];
  counts: { trials: number; not_run: number };
}
const read = (dir: string) => JSON.parse(readFileSync(join(dir, "results.json"), "utf8")) as Results;

// Each platform's variables for shard 2 of 3, and the note it prints.
const platforms: { name: string; env: Record<string, string>; args?: string[]; note: string }[] = [
  { name: "GitHub Actions", env: { GITHUB_ACTIONS: "true", CROSSPROP_SHARD_INDEX: "1", CROSSPROP_SHARD_COUNT: "3" }, note: "CROSSPROP_SHARD_INDEX=1, CROSSPROP_SHARD_COUNT=3" },
  { name: "Kubernetes", env: { JOB_COMPLETION_INDEX: "1" }, args: ["--shard-count", "3"], note: "JOB_COMPLETION_INDEX=1, --shard-count 3" },
  { name: "AWS Batch", env: { AWS_BATCH_JOB_ARRAY_INDEX: "1", AWS_BATCH_JOB_ARRAY_SIZE: "3" }, note: "AWS_BATCH_JOB_ARRAY_INDEX=1, AWS_BATCH_JOB_ARRAY_SIZE=3" },
  // --array=0-4:2: task ids 0, 2, 4.
  {
    name: "Slurm",
    env: { SLURM_ARRAY_TASK_ID: "2", SLURM_ARRAY_TASK_MIN: "0", SLURM_ARRAY_TASK_MAX: "4", SLURM_ARRAY_TASK_STEP: "2", SLURM_ARRAY_TASK_COUNT: "3" },
    note: "SLURM_ARRAY_TASK_ID=2, SLURM_ARRAY_TASK_MIN=0, SLURM_ARRAY_TASK_MAX=4, SLURM_ARRAY_TASK_STEP=2, SLURM_ARRAY_TASK_COUNT=3",
  },
  { name: "GitLab", env: { CI_NODE_INDEX: "2", CI_NODE_TOTAL: "3" }, note: "CI_NODE_INDEX=2, CI_NODE_TOTAL=3" },
  { name: "CircleCI", env: { CIRCLE_NODE_INDEX: "1", CIRCLE_NODE_TOTAL: "3" }, note: "CIRCLE_NODE_INDEX=1, CIRCLE_NODE_TOTAL=3" },
  { name: "Buildkite", env: { BUILDKITE_PARALLEL_JOB: "1", BUILDKITE_PARALLEL_JOB_COUNT: "3" }, note: "BUILDKITE_PARALLEL_JOB=1, BUILDKITE_PARALLEL_JOB_COUNT=3" },
];

describe("crossprop sweep --shard auto: each platform's variables", () => {
  const cwd = tempDir();
  const config = writeConfig(sweep, cwd);
  let typed: Results;

  beforeAll(() => {
    const result = sweepWith({}, [config, "--shard", "2/3", "--workers", "1", "--quiet", "--out", join(cwd, "typed")], cwd);
    expect(result.status, result.stderr).toBe(0);
    typed = read(join(cwd, "typed"));
  });

  it.each(platforms)("$name: exit 0, the note, the shard recorded with its source, the same trials as --shard 2/3", ({ name, env, args = [], note }) => {
    const out = join(cwd, name.replace(/\W/g, "-"));
    const result = sweepWith(env, [config, "--shard", "auto", ...args, "--workers", "1", "--quiet", "--out", out], cwd);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stderr.split("\n").filter((line) => line.startsWith("note: "))).toEqual([`note: shard 2/3 from ${name} (${note})`]);
    const results = read(out);
    const variables = Object.fromEntries(note.split(", ").map((pair) => (pair.startsWith("--") ? pair.split(" ") : pair.split("="))));
    expect(results.shard).toEqual({ index: 2, count: 3, source: name, variables });
    expect(results.trials.map((t) => [t.index, t.id, t.status, t.metrics])).toEqual(typed.trials.map((t) => [t.index, t.id, t.status, t.metrics]));
    expect(typed.trials.map((t) => t.index)).toEqual([2, 5]);
    expect(typed.shard).toEqual({ index: 2, count: 3 });
  });

  it("without --out, lands in the same directory as --shard 2/3 (runs/<name>/sweep-<hash>-shard-2-of-3) and resumes it", () => {
    const first = sweepWith({}, [config, "--shard", "2/3", "--workers", "1", "--quiet"], cwd);
    expect(first.status, first.stderr).toBe(0);
    const again = sweepWith(platforms[4]!.env, [config, "--shard", "auto", "--workers", "1"], cwd);
    expect(again.status, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/results: runs\/auto-shard\/sweep-[0-9a-f]{12}-shard-2-of-3\/results\.json/);
    expect(again.stderr).toMatch(/2 trials \(.*shard 2\/3\)/);
  });

  it("--plan shows the shard's trials and prints the note", () => {
    const result = sweepWith(platforms[2]!.env, [config, "--shard", "auto", "--plan"], cwd);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stderr).toBe("note: shard 2/3 from AWS Batch (AWS_BATCH_JOB_ARRAY_INDEX=1, AWS_BATCH_JOB_ARRAY_SIZE=3)\n");
    expect(result.stdout).toMatch(/^auto-shard: 5 trials, .*, shard 2\/3: 2 of them;/);
  });

  it("shards from three platforms merge into the whole plan (their results.json, shard source and all, verify)", () => {
    const dirs = [
      { env: { SLURM_ARRAY_TASK_ID: "0", SLURM_ARRAY_TASK_MIN: "0", SLURM_ARRAY_TASK_COUNT: "3" }, out: join(cwd, "merge-1") },
      { env: platforms[1]!.env, args: ["--shard-count", "3"], out: join(cwd, "Kubernetes") },
      { env: { CI_NODE_INDEX: "3", CI_NODE_TOTAL: "3" }, out: join(cwd, "merge-3") },
    ];
    for (const { env, args = [], out } of dirs) {
      if (existsSync(join(out, "results.json"))) continue; // the Kubernetes case above wrote it
      const result = sweepWith(env, [config, "--shard", "auto", ...args, "--workers", "1", "--quiet", "--out", out], cwd);
      expect(result.status, result.stderr).toBe(0);
    }
    const merged = spawnSync(process.execPath, [join(repoRoot, "packages/cli/bin/crossprop.js"), "sweep", "merge", ...dirs.map((d) => d.out), "--out", join(cwd, "merged")], { cwd, encoding: "utf8", timeout: 60_000, env: { ...clean, INIT_CWD: cwd } });
    expect(merged.status, merged.stderr).toBe(0);
    const results = read(join(cwd, "merged"));
    expect(results.shard).toBeNull();
    expect(results.trials.map((t) => [t.index, t.status])).toEqual([1, 2, 3, 4, 5].map((i) => [i, "completed"]));
  });
});

describe("crossprop sweep --shard auto: refusals, exit 2, one line, nothing written", () => {
  const cwd = tempDir();
  const config = writeConfig(sweep, cwd);

  it.each([
    {
      why: "no platform's variables",
      env: {},
      error:
        "error: --shard auto: found no shard in the environment; looked for CROSSPROP_SHARD_INDEX (GitHub Actions: from strategy.job-index), JOB_COMPLETION_INDEX (Kubernetes), AWS_BATCH_JOB_ARRAY_INDEX (AWS Batch), SLURM_ARRAY_TASK_ID (Slurm), CI_NODE_INDEX (GitLab), CIRCLE_NODE_INDEX (CircleCI), BUILDKITE_PARALLEL_JOB (Buildkite)",
    },
    {
      why: "two platforms that disagree",
      env: { JOB_COMPLETION_INDEX: "0", CI_NODE_INDEX: "2", CI_NODE_TOTAL: "3" },
      args: ["--shard-count", "3"],
      error: "error: --shard auto: the environment names two shards: 1/3 from Kubernetes (JOB_COMPLETION_INDEX=0, --shard-count 3) and 2/3 from GitLab (CI_NODE_INDEX=2, CI_NODE_TOTAL=3); unset one",
    },
    {
      why: "an index out of range",
      env: { AWS_BATCH_JOB_ARRAY_INDEX: "3", AWS_BATCH_JOB_ARRAY_SIZE: "3" },
      error: "error: --shard auto: AWS Batch: AWS_BATCH_JOB_ARRAY_INDEX=3, AWS_BATCH_JOB_ARRAY_SIZE=3 is out of range: AWS_BATCH_JOB_ARRAY_INDEX counts from 0, so 3 shards are 0…2",
    },
    {
      why: "a value that is not an integer",
      env: { SLURM_ARRAY_TASK_ID: "1.5", SLURM_ARRAY_TASK_MIN: "0", SLURM_ARRAY_TASK_COUNT: "3" },
      error: 'error: --shard auto: SLURM_ARRAY_TASK_ID="1.5" (Slurm) is not a whole number',
    },
    {
      why: "Kubernetes without a count",
      env: { JOB_COMPLETION_INDEX: "1" },
      error: "error: --shard auto: Kubernetes sets JOB_COMPLETION_INDEX=1 but no shard count; pass --shard-count N or set CROSSPROP_SHARD_COUNT",
    },
    {
      why: "--shard-count without --shard auto",
      env: {},
      args: ["--shard", "1/3", "--shard-count", "3"],
      error: "error: --shard-count: only with --shard auto (--shard i/n names its count), got --shard-count 3 with --shard 1/3",
    },
  ])("$why", ({ env, args, error }) => {
    const out = join(cwd, "never");
    const result = sweepWith(env, [config, ...(args?.[0] === "--shard" ? args : ["--shard", "auto", ...(args ?? [])]), "--out", out], cwd);
    expect(result.status).toBe(2);
    expect(result.stderr).toBe(`${error}\n`);
    expect(result.stdout).toBe("");
    expect(existsSync(out)).toBe(false);
    expect(existsSync(join(cwd, "runs"))).toBe(false);
  });
});
