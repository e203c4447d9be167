import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { repoRoot } from "./helpers.ts";

// The workflow cannot run here (no network); this checks what can go stale without anyone noticing.
const workflow = parse(readFileSync(join(repoRoot, ".github/workflows/sweep.yml"), "utf8"));

describe(".github/workflows/sweep.yml", () => {
  const shardJob = workflow.jobs.shard;
  const steps = (job: { steps: { run?: string }[] }) => job.steps.map((step) => step.run ?? "").join("\n");

  it("runs one job per shard with the pinned pnpm, each covering its --shard i/n", () => {
    const shards: number[] = shardJob.strategy.matrix.shard;
    expect(shards).toEqual([1, 2]);
    expect(steps(shardJob)).toContain("npx -y pnpm@10.34.9 install --frozen-lockfile");
    expect(steps(shardJob)).toMatch(new RegExp(`crossprop sweep "\\$SWEEP_CONFIG" --shard \\$\\{\\{ matrix.shard \\}\\}/${shards.length} `));
  });

  it("merges every shard's directory after all shards, and publishes junit.xml", () => {
    expect(workflow.jobs.merge.needs).toBe("shard");
    const merge = steps(workflow.jobs.merge);
    expect(merge).toContain(`crossprop sweep merge ${shardJob.strategy.matrix.shard.map((i: number) => `shards/sweep-shard-${i}`).join(" ")} --out sweep`);
    const report = workflow.jobs.merge.steps.find((step: { uses?: string }) => step.uses?.startsWith("mikepenz/action-junit-report"));
    expect(report.with.report_paths).toBe("sweep/junit.xml");
  });

  it("defaults to a sweep config that exists", () => {
    const fallback = /'([^']+)'/.exec(workflow.env.SWEEP_CONFIG)![1]!;
    expect(existsSync(join(repoRoot, fallback))).toBe(true);
    expect(workflow.on.workflow_dispatch.inputs.config.default).toBe(fallback);
  });
});
