import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { resolveShard } from "@crossprop/sweep";
import { repoRoot, tempDir, writeConfig } from "./helpers.ts";

// No cluster here: the Kubernetes manifest is checked for what would break it unnoticed, the Slurm
// script is run for real with a stand-in `sbatch` and the environment Slurm gives each task.

describe("deploy/kubernetes/sweep-indexed-job.yaml", () => {
  const documents = parseAllDocuments(readFileSync(join(repoRoot, "deploy/kubernetes/sweep-indexed-job.yaml"), "utf8"));
  type Job = { kind: string; metadata: { name: string }; spec: any };
  const objects = documents.map((document) => document.toJS() as Job);
  const [claim, shards, merge] = objects;
  const container = (job: Job) => job.spec.template.spec.containers[0];

  it("parses: a volume claim, the shards' Indexed Job and a merge Job", () => {
    expect(documents.flatMap((document) => document.errors)).toEqual([]);
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(["PersistentVolumeClaim/crossprop-sweep", "Job/crossprop-sweep-shards", "Job/crossprop-sweep-merge"]);
    expect(claim!.spec.accessModes).toEqual(["ReadWriteMany"]);
  });

  it("each shard runs --shard auto with --shard-count = completions, into its own directory on the volume", () => {
    const { completions, parallelism, completionMode } = shards!.spec;
    expect(completionMode).toBe("Indexed");
    expect(parallelism).toBe(completions);
    const [command] = container(shards!).args as string[];
    const match = /^exec pnpm crossprop sweep (\S+) --shard auto --shard-count (\d+) --out "\/sweep\/shard-\$JOB_COMPLETION_INDEX"$/.exec(command!);
    expect(match, command).not.toBeNull();
    expect(existsSync(join(repoRoot, match![1]!)), "the config is in the repository (the image's working directory)").toBe(true);
    expect(Number(match![2])).toBe(completions);
    // Every index Kubernetes hands out names its own shard, and together all of them.
    const named = Array.from({ length: completions }, (_, index) => resolveShard("auto", match![2], { JOB_COMPLETION_INDEX: String(index) }));
    expect(named.map((s) => `${s!.index}/${s!.count}`)).toEqual(Array.from({ length: completions }, (_, i) => `${i + 1}/${completions}`));
  });

  it("a shard whose trials fail (exit 1) or whose config is wrong (exit 2) is not retried, and does not stop the others", () => {
    expect(shards!.spec.backoffLimitPerIndex).toBeGreaterThanOrEqual(0);
    expect(shards!.spec.backoffLimit).toBeUndefined();
    expect(shards!.spec.template.spec.restartPolicy).toBe("Never");
    expect(shards!.spec.podFailurePolicy.rules[0]).toEqual({ action: "FailIndex", onExitCodes: { containerName: container(shards!).name, operator: "In", values: [1, 2] } });
  });

  it("the merge Job waits (suspended), runs in the same image and directory, and merges every shard directory", () => {
    expect(merge!.spec.suspend).toBe(true);
    expect(container(merge!).image).toBe(container(shards!).image);
    expect(container(merge!).workingDir).toBe(container(shards!).workingDir);
    expect(container(merge!).args).toEqual(["exec pnpm crossprop sweep merge /sweep/shard-* --out /sweep/merged"]);
    for (const job of [shards!, merge!]) {
      expect(job.spec.template.spec.volumes).toEqual([{ name: "sweep", persistentVolumeClaim: { claimName: claim!.metadata.name } }]);
      expect(container(job).volumeMounts).toEqual([{ name: "sweep", mountPath: "/sweep" }]);
    }
  });
});

describe("deploy/slurm/sweep-array.sh", () => {
  const script = join(repoRoot, "deploy/slurm/sweep-array.sh");
  const crossprop = `${process.execPath} ${join(repoRoot, "packages/cli/bin/crossprop.js")}`;
  const run = (args: string[], env: Record<string, string>, cwd: string) => {
    const result = spawnSync("bash", [script, ...args], { cwd, encoding: "utf8", timeout: 60_000, env: { PATH: process.env.PATH!, HOME: process.env.HOME ?? "/tmp", INIT_CWD: cwd, ...env } });
    expect(result.error).toBeUndefined();
    expect(result.stderr).not.toMatch(/\n\s+at |internal error/);
    return result;
  };

  it("passes bash -n", () => {
    const result = spawnSync("bash", ["-n", script], { encoding: "utf8" });
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
  });

  it("submit: the array 1…SHARDS, then the merge with --dependency=afterok on it", () => {
    const cwd = tempDir();
    const bin = join(cwd, "bin");
    spawnSync("mkdir", [bin]);
    // A stand-in sbatch: records its arguments, answers as --parsable does (id;cluster).
    writeFileSync(join(bin, "sbatch"), `#!/bin/sh\necho "$*" >> "${join(cwd, "sbatch.log")}"\nn=$(wc -l < "${join(cwd, "sbatch.log")}")\necho "$((4000 + n));cluster"\n`);
    chmodSync(join(bin, "sbatch"), 0o755);
    const result = run([], { PATH: `${bin}:${process.env.PATH}`, SHARDS: "3", SWEEP_DIR: "out" }, cwd);
    expect(result.status, result.stderr).toBe(0);
    const [array, mergeJob] = readFileSync(join(cwd, "sbatch.log"), "utf8").trim().split("\n");
    expect(array).toMatch(/ --array=1-3 .*--output=out\/logs\/shard-%a\.out .*sweep-array\.sh shard$/);
    expect(mergeJob).toMatch(/ --dependency=afterok:4001 --kill-on-invalid-dep=yes .*sweep-array\.sh merge$/);
    expect(result.stdout).toBe("submitted: shards 4001 (array 1-3 of configs/sweeps/lr-batch.yaml), merge 4002;cluster after them, into out\n");
    expect(existsSync(join(cwd, "out/logs"))).toBe(true);
  });

  // Each task as Slurm starts it (--array=1-2: ids 1 and 2), then the merge job.
  function slurmRun(expectations: string) {
    const cwd = tempDir();
    writeConfig(`name: slurm-sweep
data: { train_size: 100, test_size: 100 }
model: { hidden: [8] }
training: { epochs: 1 }
${expectations}
sweep:
  grid:
    optimizer.lr: [0.1, 0.3, 0.5]
`, cwd);
    const env = { CONFIG: "config.yaml", SWEEP_DIR: "sweep", CROSSPROP: crossprop };
    const tasks = [1, 2].map((id) => run(["shard"], { ...env, SLURM_ARRAY_TASK_ID: String(id), SLURM_ARRAY_TASK_MIN: "1", SLURM_ARRAY_TASK_MAX: "2", SLURM_ARRAY_TASK_STEP: "1", SLURM_ARRAY_TASK_COUNT: "2" }, cwd));
    return { cwd, tasks, merge: run(["merge"], env, cwd) };
  }

  it("shard then merge: each task runs its shard from Slurm's variables, the merge joins them", () => {
    const { cwd, tasks, merge } = slurmRun("");
    tasks.forEach((task, i) => {
      expect(task.status, task.stderr).toBe(0);
      expect(task.stderr).toContain(`note: shard ${i + 1}/2 from Slurm (SLURM_ARRAY_TASK_ID=${i + 1}, SLURM_ARRAY_TASK_MIN=1, SLURM_ARRAY_TASK_MAX=2, SLURM_ARRAY_TASK_STEP=1, SLURM_ARRAY_TASK_COUNT=2)`);
    });
    expect(merge.status, merge.stderr).toBe(0);
    const results = JSON.parse(readFileSync(join(cwd, "sweep/merged/results.json"), "utf8"));
    expect(results.trials.map((t: { index: number; status: string }) => [t.index, t.status])).toEqual([[1, "completed"], [2, "completed"], [3, "completed"]]);
    expect(results.run.merged_from).toEqual(["sweep/shard-1", "sweep/shard-2"]);
  });

  it("a shard whose trials miss expect: still ends 0 (so afterok holds), and the merge reports them, exit 1", () => {
    const { tasks, merge } = slurmRun("expect: { valid_accuracy: { min: 0.999 } }");
    for (const task of tasks) {
      expect(task.status, task.stderr).toBe(0);
      expect(task.stderr).toMatch(/crossprop-shard: trials failed in shard [12]; the merge reports them\n$/);
    }
    expect(merge.status).toBe(1);
    expect(merge.stderr).toMatch(/^error: 3 of 3 trials did not pass$/m);
  });

  it("a shard that cannot start (a usage error, exit 2) fails its task, so afterok holds the merge back", () => {
    const cwd = tempDir();
    const task = run(["shard"], { CONFIG: "missing.yaml", SWEEP_DIR: "sweep", CROSSPROP: crossprop, SLURM_ARRAY_TASK_ID: "1", SLURM_ARRAY_TASK_MIN: "1", SLURM_ARRAY_TASK_COUNT: "2" }, cwd);
    expect(task.status).toBe(2);
    expect(task.stderr).toMatch(/^error: .*missing\.yaml/m);
  });
});
