import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { InterruptedError, UserError } from "@crossprop/core";
import { parseConfig, prepareExperiment } from "@crossprop/config";
import { describe, expect, it } from "vitest";
import { CHECKPOINT_FILE, CHECKPOINT_TENSORS, type CheckpointRecord } from "./checkpoint.ts";
import { RunDirectory } from "./run-dir.ts";
import { runToDirectory } from "./run-to-directory.ts";

// Shuffled batches, a stateful optimizer, a partial last batch (150 = 64 + 64 + 22) and an
// evaluation every 2 steps that does not fall on the epoch's end: everything a resume must restore.
const CONFIG = `name: resume
seed: 3
data: { train_size: 150, test_size: 60 }
model: { hidden: [16] }
training: { epochs: 4, batch_size: 64, shuffle: true, eval_every: 2 }
`;

function run(sets: string[], dir: string, options: { stopAfterEpochs?: number; resume?: boolean } = {}) {
  const loaded = parseConfig(CONFIG, "resume.yaml", sets);
  const experiment = prepareExperiment(loaded.config);
  const controller = new AbortController();
  let epochsSeen = 0;
  const runDir = RunDirectory.create({ out: dir, name: "resume", backend: loaded.config.backend, ...(options.resume ? { resume: true } : {}) });
  const observer = {
    onEpoch() {
      // An evaluation at step 3 ends epoch 1; the stop is seen before the next step.
      if (++epochsSeen === options.stopAfterEpochs) controller.abort("SIGTERM");
    },
  };
  return runToDirectory(loaded, experiment, runDir, observer, { signal: controller.signal, ...(options.resume ? { resume: true } : {}) });
}

const tempDir = () => mkdtempSync(join(tmpdir(), "crossprop-checkpoint-"));
const read = (dir: string, file: string) => readFileSync(join(dir, file));
const losses = (dir: string) => read(dir, "metrics.jsonl").toString().trim().split("\n").map((line) => { const { seconds, eval_seconds, ...rest } = JSON.parse(line); return rest; });

describe("checkpoints and --resume", () => {
  for (const backend of ["manual:typescript", "manual:wasm", "autograd:typescript", "autograd:wasm", "tfjs:wasm"]) {
    for (const optimizer of ["momentum", "adam"]) {
      it(`${backend} ${optimizer}: interrupted after epoch 2, resumed: final.safetensors byte-identical to an uninterrupted run`, async () => {
        const [name, engine] = backend.split(":");
        const sets = [`backend=${name}`, `${name}.engine=${engine}`, `optimizer.type=${optimizer}`, "optimizer.lr=0.05", "training.threads=1"];
        const straight = tempDir();
        await run(sets, straight);
        expect(existsSync(join(straight, CHECKPOINT_FILE)), "a completed run keeps no checkpoint").toBe(false);

        const interrupted = tempDir();
        // Evaluations at steps 2, 4, 6: the third (step 6) ends epoch 2, so the stop comes before step 7.
        const error = await run(sets, interrupted, { stopAfterEpochs: 3 }).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(InterruptedError);
        expect((error as InterruptedError).exitCode).toBe(143);
        expect((error as Error).message).toBe(`interrupted by SIGTERM after step 6 (epoch 3 of 4); ${interrupted} holds the checkpoint of epoch 2: continue with --resume --out ${interrupted}`);
        const summary = JSON.parse(read(interrupted, "summary.json").toString());
        expect(summary).toMatchObject({ status: "interrupted", epochs: 2, steps: 6, evaluations: 3, checkpoint: { epoch: 2, step: 6, file: CHECKPOINT_FILE }, passed: false });
        const record = JSON.parse(read(interrupted, CHECKPOINT_FILE).toString()) as CheckpointRecord;
        expect(record).toMatchObject({ epoch: 2, step: 6, total_steps: 12, batch_order: { shuffle: true, seed: 3, next_epoch: 3 }, optimizer: { type: optimizer } });
        expect(existsSync(join(interrupted, CHECKPOINT_TENSORS))).toBe(true);

        await run(sets, interrupted, { resume: true });
        expect(read(interrupted, "final.safetensors").equals(read(straight, "final.safetensors"))).toBe(true);
        expect(losses(interrupted)).toEqual(losses(straight));
        expect(read(interrupted, "steps.jsonl").equals(read(straight, "steps.jsonl"))).toBe(true);
        expect(JSON.parse(read(interrupted, "summary.json").toString()).status).toBe("completed");
      });
    }
  }

  it("refuses to resume another config, naming the first differing line", async () => {
    const dir = tempDir();
    await run(["optimizer.type=momentum"], dir, { stopAfterEpochs: 2 }).catch(() => undefined);
    const error = await run(["optimizer.type=momentum", "optimizer.lr=0.2"], dir, { resume: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).exitCode).toBe(2);
    expect((error as Error).message).toMatch(new RegExp(`^--resume: the config differs from the one checkpointed in ${dir} \\(config.resolved.yaml line \\d+ is "lr: 0.2", was "lr: 0.1"\\)$`));
  });

  it("refuses to resume a directory without a checkpoint, and a completed run", async () => {
    const empty = tempDir();
    await expect(run([], empty, { resume: true })).rejects.toThrow(`--resume: ${empty} holds no checkpoint (checkpoint.json); a run writes one at the end of each epoch`);
    const done = tempDir();
    await run([], done);
    await expect(run([], done, { resume: true })).rejects.toThrow(`--resume: the run in ${done} has completed (final.safetensors): nothing to resume`);
  });
});
