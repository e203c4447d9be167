import { checkSpec, initParams, supportIssues, type Backend, type Batch, type Model, type ParamList } from "@crossprop/core";
import { describe, expect, it } from "vitest";
import { conformanceCases, makeBatch } from "./cases.ts";

const INIT_SEED = 7;
/** Steps before the state is exported, and after it is imported into a fresh model. */
const BEFORE = 2;
const AFTER = 3;

/**
 * The contract's getOptimizerState/setOptimizerState, as --resume uses them: a fresh model given
 * another's parameters and optimizer state after k steps takes the next steps bit for bit as the
 * model that never stopped (the point is bit-identity, so no tolerance). Each optimizer, with
 * weight decay, in every dtype the backend declares; the entries are core's names, in order.
 */
export function describeOptimizerState(backend: Backend): void {
  describe(`optimizer state: ${backend.name} resumes bit for bit`, () => {
    for (const dtype of ["float32", "float64"] as const) {
      for (const testCase of conformanceCases(dtype).filter((c) => c.name.includes("weightDecay"))) {
        if (supportIssues(backend.name, backend.supports, testCase.spec, testCase.optimizer).length > 0) continue;
        it(testCase.name, async () => {
          checkSpec(testCase.spec, testCase.optimizer, [backend]);
          const initial = initParams(testCase.spec, testCase.init, INIT_SEED);
          const batches = Array.from({ length: BEFORE + AFTER }, (_, i) => makeBatch(testCase.spec, testCase.data, testCase.batchSize, i + 1));
          const straight = await backend.createModel(testCase.spec, initial, testCase.optimizer);
          const resumed = await backend.createModel(testCase.spec, initial, testCase.optimizer);
          try {
            await train(straight, batches.slice(0, BEFORE), testCase.lr);
            const params = await straight.getParams();
            const state = await straight.getOptimizerState!();
            const names = state.map((entry) => entry.name);
            const expected = { sgd: [], momentum: ["velocity.layers.0.weight"], adam: ["first_moment.layers.0.weight"], adamw: ["first_moment.layers.0.weight"] }[testCase.optimizer.type];
            expect(names.slice(0, expected.length)).toEqual(expected);
            if (testCase.optimizer.type.startsWith("adam")) expect(state.find((e) => e.name === "step")!.data[0]).toBe(BEFORE);
            await resumed.setParams(params);
            await resumed.setOptimizerState!(state);
            expect(bytes(await resumed.getOptimizerState!())).toEqual(bytes(state));
            const lossesStraight = await train(straight, batches.slice(BEFORE), testCase.lr);
            const lossesResumed = await train(resumed, batches.slice(BEFORE), testCase.lr);
            expect(lossesResumed).toEqual(lossesStraight);
            expect(bytes(await resumed.getParams())).toEqual(bytes(await straight.getParams()));
            expect(bytes(await resumed.getOptimizerState!())).toEqual(bytes(await straight.getOptimizerState!()));
            // A state for another optimizer or shape is refused whole, naming what was expected.
            await expect(resumed.setOptimizerState!([...state, { name: "bogus", shape: [1], data: new Float64Array(1) }])).rejects.toThrow(/^the optimizer state should hold /);
          } finally {
            straight.dispose();
            resumed.dispose();
          }
        });
      }
    }
  });
}

async function train(model: Model, batches: Batch[], lr: number): Promise<number[]> {
  const losses = [];
  for (const batch of batches) losses.push(await model.trainStep(batch, lr));
  return losses;
}

/** Names and raw bytes: equal only if every bit is. */
function bytes(list: ParamList): [string, number[], Buffer][] {
  return list.map(({ name, shape, data }) => [name, shape, Buffer.from(data.buffer, data.byteOffset, data.byteLength)]);
}
