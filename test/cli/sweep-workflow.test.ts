import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { resolveShard } from "@crossprop/sweep";
import { repoRoot } from "./helpers.ts";

// The workflow cannot run here (no network); this checks what can go stale without anyone noticing.
const workflow = parse(readFileSync(join(repoRoot, ".github/workflows/sweep.yml"), "utf8"));

describe(".github/workflows/sweep.yml", () => {
  const shardJob = workflow.jobs.shard;
  const steps = (job: { steps: { run?: string }[] }) => job.steps.map((step) => step.run ?? "").join("\n");

  it("runs one job per shard with the pinned pnpm, each taking its shard with --shard auto from job-index/job-total", () => {
    const shards: number[] = shardJob.strategy.matrix.shard;
    expect(shards).toEqual([1, 2]);
    expect(steps(shardJob)).toContain("npx -y pnpm@10.34.9 install --frozen-lockfile");
    expect(steps(shardJob)).toContain('crossprop sweep "$SWEEP_CONFIG" --shard auto --out sweep-shard-${{ matrix.shard }}');
    // No step names its shard by hand: adding a matrix entry is all a new shard takes.
    expect(steps(shardJob)).not.toMatch(/--shard \d|--shard \$\{\{/);
    expect(shardJob.env).toEqual({ CROSSPROP_SHARD_INDEX: "${{ strategy.job-index }}", CROSSPROP_SHARD_COUNT: "${{ strategy.job-total }}" });
  });

  it("the jobs' variables, as GitHub fills them in, name shards 1…n, each once, from GitHub Actions", () => {
    const total = shardJob.strategy.matrix.shard.length;
    const shards = Array.from({ length: total }, (_, jobIndex) =>
      resolveShard("auto", undefined, { GITHUB_ACTIONS: "true", CROSSPROP_SHARD_INDEX: String(jobIndex), CROSSPROP_SHARD_COUNT: String(total) }),
    );
    expect(shards.map((shard) => `${shard!.index}/${shard!.count}`)).toEqual(shardJob.strategy.matrix.shard.map((i: number) => `${i}/${total}`));
    expect(shards.every((shard) => shard!.source === "GitHub Actions")).toBe(true);
  });

  it("merges whichever shards uploaded after all shards, and publishes junit.xml", () => {
    expect(workflow.jobs.merge.needs).toBe("shard");
    const merge = steps(workflow.jobs.merge);
    // A glob, so a shard that uploaded nothing is not_run trials (exit 1), not a missing directory (exit 2).
    expect(merge).toContain("crossprop sweep merge shards/sweep-shard-* --out sweep");
    const upload = shardJob.steps.find((step: { uses?: string }) => step.uses?.startsWith("actions/upload-artifact"));
    expect(upload.with).toMatchObject({ name: "sweep-shard-${{ matrix.shard }}", path: "sweep-shard-${{ matrix.shard }}" });
    const download = workflow.jobs.merge.steps.find((step: { uses?: string }) => step.uses?.startsWith("actions/download-artifact"));
    expect(download.with).toEqual({ pattern: "sweep-shard-*", path: "shards" });
    const report = workflow.jobs.merge.steps.find((step: { uses?: string }) => step.uses?.startsWith("mikepenz/action-junit-report"));
    expect(report.with.report_paths).toBe("sweep/junit.xml");
  });

  it("defaults to a sweep config that exists", () => {
    const fallback = /'([^']+)'/.exec(workflow.env.SWEEP_CONFIG)![1]!;
    expect(existsSync(join(repoRoot, fallback))).toBe(true);
    expect(workflow.on.workflow_dispatch.inputs.config.default).toBe(fallback);
  });
});
