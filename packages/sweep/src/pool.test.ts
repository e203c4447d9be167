import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { removeConfigs, writeConfig } from "@crossprop/config/fixtures";
import { buildPlan, type PlannedTrial } from "./plan.ts";
import { runInWorkers } from "./pool.ts";
import type { TrialOutcome } from "./run-trial.ts";

const scratch = mkdtempSync(join(tmpdir(), "crossprop-pool-"));
afterAll(() => {
  removeConfigs();
  rmSync(scratch, { recursive: true, force: true });
});

const plan = buildPlan(
  writeConfig(
    "name: pool\ndata: { train_size: 300, test_size: 100 }\nmodel: { hidden: [8] }\nsweep:\n  grid:\n    optimizer.lr: [0.1, 1.0e+30]\n    backend: [manual, tfjs]\n",
  ),
);

/** Runs the plan's trials in `order` on `workers` threads; returns outcomes by trial index. */
async function run(label: string, workers: number, order: PlannedTrial[]) {
  const outcomes = new Map<number, TrialOutcome>();
  const started: number[] = [];
  await runInWorkers(
    order.map((trial) => ({ tag: trial, sets: trial.sets, dir: join(scratch, label, trial.id) })),
    {
      workers,
      shared: { file: plan.file, text: plan.text, threads: 1 },
      onStart: (trial) => started.push(trial.index),
      onFinish: (trial, outcome) => void outcomes.set(trial.index, outcome),
    },
  );
  return { outcomes, started };
}

describe("runInWorkers (worker threads running TypeScript, started from vitest)", () => {
  it("runs every trial; a diverging one is an outcome, not a crash; results do not depend on workers or order", async () => {
    const one = await run("one", 1, plan.trials);
    const two = await run("two", 2, [...plan.trials].reverse());
    expect(one.started).toEqual([1, 2, 3, 4]);
    expect(two.started).toEqual([4, 3, 2, 1]);
    for (const { outcomes } of [one, two]) {
      expect([...outcomes.keys()].sort()).toEqual([1, 2, 3, 4]);
      expect(outcomes.get(1)).toEqual({ status: "completed", error: null });
      expect(outcomes.get(2)).toEqual({ status: "completed", error: null });
      expect(outcomes.get(3)!.status).toBe("diverged");
      expect(outcomes.get(3)!.error).toMatch(/^diverged: the loss is (NaN|Infinity) at step \d+/);
    }
    for (const trial of plan.trials.slice(0, 2)) {
      const final = (label: string) => readFileSync(join(scratch, label, trial.id, "final.safetensors"));
      expect(final("two").equals(final("one")), trial.id).toBe(true);
    }
  });

  it("stops handing out jobs once onFinish returns false; running jobs still finish", async () => {
    const finished: number[] = [];
    await runInWorkers(
      plan.trials.map((trial) => ({ tag: trial.index, sets: trial.sets, dir: join(scratch, "stop", trial.id) })),
      {
        workers: 1,
        shared: { file: plan.file, text: plan.text, threads: 1 },
        onFinish(index) {
          finished.push(index);
          return index < 2;
        },
      },
    );
    expect(finished).toEqual([1, 2]);
  });

  it("once the signal aborts, the running trial stops after its step (answers interrupted, summary.json interrupted) and no other starts", async () => {
    const controller = new AbortController();
    const outcomes: [number, TrialOutcome][] = [];
    await runInWorkers(
      // Far more epochs than run in the 1.5 s before the abort, however fast the machine (a 300-example epoch takes ~1 ms).
      plan.trials.map((trial) => ({ tag: trial.index, sets: [...trial.sets, "training.epochs=1000000"], dir: join(scratch, "abort", trial.id) })),
      {
        workers: 1,
        shared: { file: plan.file, text: plan.text, threads: 1 },
        signal: controller.signal,
        onStart: () => setTimeout(() => controller.abort("SIGTERM"), 1500),
        onFinish: (index, outcome) => void outcomes.push([index, outcome]),
      },
    );
    expect(outcomes).toHaveLength(1);
    expect(outcomes[0]![1].status).toBe("interrupted");
    expect(outcomes[0]![1].error).toMatch(/^interrupted by SIGTERM after step \d+ \(epoch \d+ of 1000000\)/);
    const summary = JSON.parse(readFileSync(join(scratch, "abort", plan.trials[0]!.id, "summary.json"), "utf8"));
    expect(summary.status).toBe("interrupted");
  });
});
