import { UserError } from "@crossprop/core";
import { describe, expect, it } from "vitest";
import { describeShardSource, resolveShard, shardFromEnvironment, type Environment } from "./shard-env.ts";

/** The shard as i/n and the note, or the one-line error: what a user sees. */
function outcome(env: Environment, shardCount?: string): string {
  try {
    const shard = shardFromEnvironment(env, shardCount);
    return `${shard.index}/${shard.count}: ${describeShardSource(shard)}`;
  } catch (error) {
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).exitCode).toBe(2);
    expect((error as Error).message).not.toContain("\n");
    return `error: ${(error as Error).message}`;
  }
}

describe("shardFromEnvironment: each platform normalised to 1-based i/n", () => {
  it("GitHub Actions (strategy.job-index passed as CROSSPROP_SHARD_INDEX, 0-based)", () => {
    expect(outcome({ GITHUB_ACTIONS: "true", CROSSPROP_SHARD_INDEX: "0", CROSSPROP_SHARD_COUNT: "2" })).toBe(
      "1/2: shard 1/2 from GitHub Actions (CROSSPROP_SHARD_INDEX=0, CROSSPROP_SHARD_COUNT=2)",
    );
    expect(outcome({ CROSSPROP_SHARD_INDEX: "1", CROSSPROP_SHARD_COUNT: "2" })).toBe("2/2: shard 2/2 from crossprop's variables (CROSSPROP_SHARD_INDEX=1, CROSSPROP_SHARD_COUNT=2)");
  });

  it("Kubernetes Indexed Job: JOB_COMPLETION_INDEX (0-based), the count from --shard-count or CROSSPROP_SHARD_COUNT", () => {
    expect(outcome({ JOB_COMPLETION_INDEX: "2" }, "4")).toBe("3/4: shard 3/4 from Kubernetes (JOB_COMPLETION_INDEX=2, --shard-count 4)");
    expect(outcome({ JOB_COMPLETION_INDEX: "3", CROSSPROP_SHARD_COUNT: "4" })).toBe("4/4: shard 4/4 from Kubernetes (JOB_COMPLETION_INDEX=3, CROSSPROP_SHARD_COUNT=4)");
    expect(outcome({ JOB_COMPLETION_INDEX: "2" })).toBe(
      "error: --shard auto: Kubernetes sets JOB_COMPLETION_INDEX=2 but no shard count; pass --shard-count N or set CROSSPROP_SHARD_COUNT",
    );
  });

  it("AWS Batch, GitLab (1-based), CircleCI, Buildkite", () => {
    expect(outcome({ AWS_BATCH_JOB_ARRAY_INDEX: "0", AWS_BATCH_JOB_ARRAY_SIZE: "3" })).toBe("1/3: shard 1/3 from AWS Batch (AWS_BATCH_JOB_ARRAY_INDEX=0, AWS_BATCH_JOB_ARRAY_SIZE=3)");
    expect(outcome({ CI_NODE_INDEX: "1", CI_NODE_TOTAL: "3" })).toBe("1/3: shard 1/3 from GitLab (CI_NODE_INDEX=1, CI_NODE_TOTAL=3)");
    expect(outcome({ CIRCLE_NODE_INDEX: "2", CIRCLE_NODE_TOTAL: "3" })).toBe("3/3: shard 3/3 from CircleCI (CIRCLE_NODE_INDEX=2, CIRCLE_NODE_TOTAL=3)");
    expect(outcome({ BUILDKITE_PARALLEL_JOB: "1", BUILDKITE_PARALLEL_JOB_COUNT: "3" })).toBe("2/3: shard 2/3 from Buildkite (BUILDKITE_PARALLEL_JOB=1, BUILDKITE_PARALLEL_JOB_COUNT=3)");
  });

  it("every task of an n-way job gets its own shard, and together all n", () => {
    const n = 5;
    const tasks: Record<string, (k: number) => Environment> = {
      github: (k) => ({ CROSSPROP_SHARD_INDEX: String(k), CROSSPROP_SHARD_COUNT: String(n) }),
      aws: (k) => ({ AWS_BATCH_JOB_ARRAY_INDEX: String(k), AWS_BATCH_JOB_ARRAY_SIZE: String(n) }),
      gitlab: (k) => ({ CI_NODE_INDEX: String(k + 1), CI_NODE_TOTAL: String(n) }),
      // --array=4-20:4: ids 4, 8, 12, 16, 20.
      slurm: (k) => ({ SLURM_ARRAY_TASK_ID: String(4 + 4 * k), SLURM_ARRAY_TASK_MIN: "4", SLURM_ARRAY_TASK_MAX: "20", SLURM_ARRAY_TASK_STEP: "4", SLURM_ARRAY_TASK_COUNT: String(n) }),
    };
    for (const [platform, env] of Object.entries(tasks)) {
      const shards = Array.from({ length: n }, (_, k) => shardFromEnvironment(env(k)));
      expect(shards.map((s) => `${s.index}/${s.count}`), platform).toEqual(["1/5", "2/5", "3/5", "4/5", "5/5"]);
    }
  });

  it("unset and empty variables are not there (GitLab sets CI_NODE_TOTAL=1 in every job, CI_NODE_INDEX only with parallel:)", () => {
    expect(outcome({ CI_NODE_TOTAL: "1", CROSSPROP_SHARD_INDEX: "", AWS_BATCH_JOB_ARRAY_INDEX: "0", AWS_BATCH_JOB_ARRAY_SIZE: "2" })).toBe(
      "1/2: shard 1/2 from AWS Batch (AWS_BATCH_JOB_ARRAY_INDEX=0, AWS_BATCH_JOB_ARRAY_SIZE=2)",
    );
  });
});

describe("shardFromEnvironment: Slurm arrays", () => {
  it("the task id relative to SLURM_ARRAY_TASK_MIN", () => {
    expect(outcome({ SLURM_ARRAY_TASK_ID: "5", SLURM_ARRAY_TASK_MIN: "3", SLURM_ARRAY_TASK_COUNT: "8" })).toBe(
      "3/8: shard 3/8 from Slurm (SLURM_ARRAY_TASK_ID=5, SLURM_ARRAY_TASK_MIN=3, SLURM_ARRAY_TASK_COUNT=8)",
    );
  });

  it("--array=1-8:2 (ids 1, 3, 5, 7) counts by the step", () => {
    const env = { SLURM_ARRAY_TASK_MIN: "1", SLURM_ARRAY_TASK_MAX: "7", SLURM_ARRAY_TASK_STEP: "2", SLURM_ARRAY_TASK_COUNT: "4" };
    expect(outcome({ ...env, SLURM_ARRAY_TASK_ID: "5" })).toBe(
      "3/4: shard 3/4 from Slurm (SLURM_ARRAY_TASK_ID=5, SLURM_ARRAY_TASK_MIN=1, SLURM_ARRAY_TASK_MAX=7, SLURM_ARRAY_TASK_STEP=2, SLURM_ARRAY_TASK_COUNT=4)",
    );
    expect(outcome({ ...env, SLURM_ARRAY_TASK_ID: "4" })).toMatch(/^error: --shard auto: Slurm: SLURM_ARRAY_TASK_ID=4, .* is out of range: task ids are 1, 3, … \(4 of them\)$/);
  });

  it("a list of ids (--array=1,2,7) is refused: it cannot be numbered as shards", () => {
    expect(outcome({ SLURM_ARRAY_TASK_ID: "2", SLURM_ARRAY_TASK_MIN: "1", SLURM_ARRAY_TASK_MAX: "7", SLURM_ARRAY_TASK_STEP: "1", SLURM_ARRAY_TASK_COUNT: "3" })).toMatch(
      /^error: --shard auto: Slurm: .* is not an evenly spaced array \(--array=A-B or A-B:S\); a list of task ids cannot be numbered as shards$/,
    );
  });

  it("an array task without its range variables says which are missing", () => {
    expect(outcome({ SLURM_ARRAY_TASK_ID: "2" })).toBe("error: --shard auto: Slurm sets SLURM_ARRAY_TASK_ID=2 but not SLURM_ARRAY_TASK_MIN or SLURM_ARRAY_TASK_COUNT");
  });
});

describe("shardFromEnvironment: refusals, each one line, exit 2", () => {
  it("none found: lists every variable looked for", () => {
    expect(outcome({ PATH: "/usr/bin", SLURM_JOB_ID: "7" })).toBe(
      "error: --shard auto: found no shard in the environment; looked for CROSSPROP_SHARD_INDEX (GitHub Actions: from strategy.job-index), JOB_COMPLETION_INDEX (Kubernetes), AWS_BATCH_JOB_ARRAY_INDEX (AWS Batch), SLURM_ARRAY_TASK_ID (Slurm), CI_NODE_INDEX (GitLab), CIRCLE_NODE_INDEX (CircleCI), BUILDKITE_PARALLEL_JOB (Buildkite)",
    );
  });

  it("two platforms that disagree; two that agree are one shard", () => {
    const kubernetes = { JOB_COMPLETION_INDEX: "1", CROSSPROP_SHARD_COUNT: "4" };
    expect(outcome({ ...kubernetes, AWS_BATCH_JOB_ARRAY_INDEX: "2", AWS_BATCH_JOB_ARRAY_SIZE: "4" })).toBe(
      "error: --shard auto: the environment names two shards: 2/4 from Kubernetes (JOB_COMPLETION_INDEX=1, CROSSPROP_SHARD_COUNT=4) and 3/4 from AWS Batch (AWS_BATCH_JOB_ARRAY_INDEX=2, AWS_BATCH_JOB_ARRAY_SIZE=4); unset one",
    );
    expect(outcome({ ...kubernetes, AWS_BATCH_JOB_ARRAY_INDEX: "1", AWS_BATCH_JOB_ARRAY_SIZE: "4" })).toBe(
      "2/4: shard 2/4 from Kubernetes and AWS Batch (JOB_COMPLETION_INDEX=1, CROSSPROP_SHARD_COUNT=4, AWS_BATCH_JOB_ARRAY_INDEX=1, AWS_BATCH_JOB_ARRAY_SIZE=4)",
    );
  });

  it("a count given that disagrees with the platform's, or with the other given count", () => {
    expect(outcome({ AWS_BATCH_JOB_ARRAY_INDEX: "1", AWS_BATCH_JOB_ARRAY_SIZE: "4" }, "8")).toBe("error: --shard auto: AWS_BATCH_JOB_ARRAY_SIZE=4 (AWS Batch) disagrees with --shard-count 8");
    expect(outcome({ JOB_COMPLETION_INDEX: "1", CROSSPROP_SHARD_COUNT: "4" }, "8")).toBe("error: --shard auto: --shard-count 8 disagrees with CROSSPROP_SHARD_COUNT=4");
    expect(outcome({ JOB_COMPLETION_INDEX: "1" }, "two")).toBe('error: --shard-count: expected an integer ≥ 1, got "two"');
    expect(outcome({ JOB_COMPLETION_INDEX: "1" }, "0")).toBe('error: --shard-count: expected an integer ≥ 1, got "0"');
  });

  it("out of range, naming where the index counts from", () => {
    expect(outcome({ AWS_BATCH_JOB_ARRAY_INDEX: "4", AWS_BATCH_JOB_ARRAY_SIZE: "4" })).toBe(
      "error: --shard auto: AWS Batch: AWS_BATCH_JOB_ARRAY_INDEX=4, AWS_BATCH_JOB_ARRAY_SIZE=4 is out of range: AWS_BATCH_JOB_ARRAY_INDEX counts from 0, so 4 shards are 0…3",
    );
    expect(outcome({ CI_NODE_INDEX: "0", CI_NODE_TOTAL: "2" })).toBe("error: --shard auto: GitLab: CI_NODE_INDEX=0, CI_NODE_TOTAL=2 is out of range: CI_NODE_INDEX counts from 1, so 2 shards are 1…2");
    expect(outcome({ JOB_COMPLETION_INDEX: "4" }, "4")).toMatch(/^error: --shard auto: Kubernetes: JOB_COMPLETION_INDEX=4, --shard-count 4 is out of range/);
    expect(outcome({ CIRCLE_NODE_INDEX: "0", CIRCLE_NODE_TOTAL: "0" })).toBe("error: --shard auto: CircleCI: CIRCLE_NODE_INDEX=0, CIRCLE_NODE_TOTAL=0: a shard count must be ≥ 1");
  });

  it("values that are not whole numbers", () => {
    for (const bad of ["abc", "1.5", "-1", " 2", "1e3", "0x2", "99999999999999999999"]) {
      expect(outcome({ BUILDKITE_PARALLEL_JOB: bad, BUILDKITE_PARALLEL_JOB_COUNT: "4" }), bad).toBe(`error: --shard auto: BUILDKITE_PARALLEL_JOB=${JSON.stringify(bad)} (Buildkite) is not a whole number`);
    }
    expect(outcome({ JOB_COMPLETION_INDEX: "1", CROSSPROP_SHARD_COUNT: "four" })).toBe(`error: --shard auto: CROSSPROP_SHARD_COUNT="four" (crossprop's variables) is not a whole number`);
  });
});

describe("resolveShard: --shard and --shard-count as typed", () => {
  const env = { CI_NODE_INDEX: "2", CI_NODE_TOTAL: "2" };
  it("none, i/n (without provenance) and auto", () => {
    expect(resolveShard(undefined, undefined, env)).toBeNull();
    const typed = resolveShard("1/2", undefined, env)!;
    expect(typed).toEqual({ index: 1, count: 2 });
    expect(describeShardSource(typed)).toBeNull();
    expect(resolveShard("auto", undefined, env)).toEqual({ index: 2, count: 2, source: "GitLab", variables: env });
  });

  it("--shard-count belongs to --shard auto", () => {
    expect(() => resolveShard("1/2", "2", env)).toThrow("--shard-count: only with --shard auto (--shard i/n names its count), got --shard-count 2 with --shard 1/2");
    expect(() => resolveShard(undefined, "2", env)).toThrow("--shard-count: only with --shard auto (--shard i/n names its count), got --shard-count 2 without --shard");
  });
});
