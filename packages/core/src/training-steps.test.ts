import { describe, expect, it } from "vitest";
import type { Examples } from "./examples.ts";
import { epochRows, trainingSteps, type StepPlan } from "./training-steps.ts";

// Ten examples whose single feature is their own row index, so a batch shows which rows it holds.
const examples: Examples = {
  count: 10,
  features: 1,
  inputs: Float32Array.from({ length: 10 }, (_, i) => i),
  inputDivisor: 1,
  labels: Int32Array.from({ length: 10 }, (_, i) => i % 3),
  targets: null,
  targetWidth: 0,
};

const plan = (overrides: Partial<StepPlan> = {}): StepPlan => ({
  examples,
  dtype: "float64",
  encoding: { kind: "labels" },
  batchSize: 4,
  totalSteps: 7,
  shuffle: false,
  seed: 3,
  schedule: { lr: 0.5, lrScale: "none", type: "step", milestones: [5], gamma: 0.1 },
  ...overrides,
});

const rowsOf = (inputs: ArrayLike<number>) => Array.from(inputs);

/** Each step's fields, copied as it is yielded: a batch is a view valid only until the next step. */
function collect(stepPlan: StepPlan, after = 0) {
  const steps = [];
  for (const { epoch, step, batch, lr } of trainingSteps(stepPlan, after)) steps.push({ epoch, step, lr, rows: rowsOf(batch.inputs) });
  return steps;
}

describe("trainingSteps", () => {
  it("counts epochs and steps from 1, keeps each epoch's partial batch and stops at totalSteps", () => {
    const steps = collect(plan()).map(({ epoch, step, rows }) => ({ epoch, step, rows }));
    expect(steps).toEqual([
      { epoch: 1, step: 1, rows: [0, 1, 2, 3] },
      { epoch: 1, step: 2, rows: [4, 5, 6, 7] },
      { epoch: 1, step: 3, rows: [8, 9] },
      { epoch: 2, step: 4, rows: [0, 1, 2, 3] },
      { epoch: 2, step: 5, rows: [4, 5, 6, 7] },
      { epoch: 2, step: 6, rows: [8, 9] },
      { epoch: 3, step: 7, rows: [0, 1, 2, 3] },
    ]);
  });

  it("gives each step the schedule's rate (×0.1 after milestone 5)", () => {
    expect(collect(plan()).map((s) => s.lr)).toEqual([0.5, 0.5, 0.5, 0.5, 0.5, 0.05, 0.05].map((lr) => expect.closeTo(lr, 15)));
  });

  it("shuffles each epoch by the seed, in the order epochRows reports", () => {
    const shuffled = collect(plan({ shuffle: true, batchSize: 10, totalSteps: 2 })).map((s) => s.rows);
    expect(shuffled[0]).toEqual(Array.from(epochRows({ examples, shuffle: true, seed: 3 }, 1)));
    expect(shuffled[1]).toEqual(Array.from(epochRows({ examples, shuffle: true, seed: 3 }, 2)));
    expect(shuffled[0]).not.toEqual(shuffled[1]);
    expect([...shuffled[0]!].sort((a, b) => a - b)).toEqual(Array.from({ length: 10 }, (_, i) => i));
  });

  it("gathers shuffled pixel batches into the plan's storage", () => {
    const pixels: Examples = { ...examples, inputs: Uint8Array.from({ length: 10 }, (_, i) => 10 * i), inputDivisor: 255 };
    const held = new Uint8Array(16);
    const storage = (length: number) => held.subarray(0, length);
    const steps = [...trainingSteps(plan({ examples: pixels, shuffle: true, totalSteps: 2, storage }))].map(({ batch }) => batch.pixels!.bytes.buffer);
    expect(steps.every((buffer) => buffer === held.buffer)).toBe(true);
  });

  it("after k steps taken (a resumed run), yields exactly the rest of the uninterrupted sequence", () => {
    const shuffled = plan({ shuffle: true, totalSteps: 8 });
    const whole = collect(shuffled);
    for (let after = 0; after <= 9; after++) expect(collect(shuffled, after), `after ${after}`).toEqual(whole.slice(after));
  });
});
