import { checkSpec, initParams, intermediateShapes, SpecError, supportIssues, type Backend, type Batch, type FloatArray, type Model, type ParamList } from "@crossprop/core";
import { afterAll, describe, expect, it } from "vitest";
import type { BackendTolerance } from "@crossprop/backends";
import type { BackendUnderTest } from "./backends.ts";
import { conformanceCases, firstRows, makeBatch, type ConformanceCase } from "./cases.ts";
import { DiffLog, scalarDiff, tensorDiff, type Diff } from "./compare.ts";

const INIT_SEED = 7;

/**
 * Runs every conformance case on `entry.backend` and on `reference` from the same core-initialised
 * parameters and the same batches, and checks: the loss and every gradient of a batch; predict;
 * the loss of each of several trainSteps in a row and the parameters after them; a partial batch
 * after full ones. Prints the largest differences seen per dtype and quantity.
 *
 * A case outside what either backend declares it supports (a dtype, loss or optimizer) is instead
 * a test that core's spec checks refuse it, naming the backend and the config path.
 */
export function describeConformance(entry: BackendUnderTest, reference: Backend): void {
  const log = new DiffLog();
  const name = entry.backend.name;
  describe(`conformance: ${name} vs ${reference.name}`, () => {
    for (const dtype of ["float32", "float64"] as const) {
      const tolerances = entry.tolerances[dtype];
      for (const testCase of conformanceCases(dtype)) {
        const refused = [entry.backend, reference].flatMap((backend) => supportIssues(backend.name, backend.supports, testCase.spec, testCase.optimizer));
        if (refused.length > 0 || tolerances === undefined) {
          it(`${testCase.name} — refused by the spec checks (not declared)`, () => {
            expect(refused.length).toBeGreaterThan(0);
            expect(() => checkSpec(testCase.spec, testCase.optimizer, [entry.backend, reference])).toThrow(SpecError);
            expect(refused[0]!.message).toMatch(/^backend \S+ does not support /);
          });
          continue;
        }
        it(testCase.name, async () => {
          checkSpec(testCase.spec, testCase.optimizer, [entry.backend, reference]);
          await runCase(testCase, entry.backend, reference, tolerances, (quantity, diff) => log.record(`${name} ${dtype} ${quantity}`, diff, testCase.name));
        });
      }
    }
    afterAll(() => {
      console.log(`conformance ${name} vs ${reference.name}: largest differences (maxRel against the entry's floor, see compare.ts)`);
      console.table(log.rows());
    });
  });
}

type RecordDiff = (quantity: string, diff: Diff) => void;

async function runCase(testCase: ConformanceCase, backend: Backend, reference: Backend, tolerances: BackendTolerance, record: RecordDiff) {
  const initial = initParams(testCase.spec, testCase.init, INIT_SEED);
  const [candidate, expected] = await Promise.all([backend, reference].map((b) => b.createModel(testCase.spec, initial, testCase.optimizer)));
  try {
    const batches = Array.from({ length: testCase.trainSteps }, (_, step) => makeBatch(testCase.spec, testCase.data, testCase.batchSize, step + 1));
    const checkLoss = (quantity: string, actual: number, wanted: number) => {
      const diff = scalarDiff(actual, wanted);
      record(quantity, diff);
      expect(diff.maxRel, `${quantity}: ${actual} vs ${wanted}`).toBeLessThanOrEqual(tolerances.loss);
    };
    const checkTensors = (quantity: string, actual: ParamList, wanted: ParamList) => {
      expect(actual.map((t) => `${t.name}:${t.shape.join("x")}`)).toEqual(wanted.map((t) => `${t.name}:${t.shape.join("x")}`));
      actual.forEach((tensor, i) => {
        const diff = tensorDiff(tensor.data, wanted[i]!.data, tolerances.floor);
        record(quantity, diff);
        expect(diff.maxRel, `${quantity} ${tensor.name} at ${diff.index}`).toBeLessThanOrEqual(tolerances.rtol);
      });
    };
    const checkBatch = async (label: string, batch: Batch) => {
      const [ours, theirs] = await Promise.all([candidate.lossAndGradients(batch), expected.lossAndGradients(batch)]);
      checkLoss(`loss (${label} batch)`, ours.loss, theirs.loss);
      checkTensors(`gradients (${label} batch)`, ours.gradients, theirs.gradients);
      const [predicted, wanted] = await Promise.all([candidate.predict(batch.inputs, batch.size), expected.predict(batch.inputs, batch.size)]);
      const outputs = (data: FloatArray) => [{ name: `${label} batch outputs`, shape: [data.length], data }];
      checkTensors("predict", outputs(predicted), outputs(wanted));
      // predictBatch, where a backend has it, is its predict with the same bytes out.
      for (const model of [candidate, expected]) {
        if (!model.predictBatch) continue;
        const [byBatch, byInputs] = [await model.predictBatch(batch), await model.predict(batch.inputs, batch.size)];
        expect(Buffer.from(byBatch.buffer, byBatch.byteOffset, byBatch.byteLength).equals(Buffer.from(byInputs.buffer, byInputs.byteOffset, byInputs.byteLength)), "predictBatch = predict").toBe(true);
      }
      // Every shipped backend has intermediates (check walks them to name the first wrong tensor).
      expect(candidate.intermediates, `${backend.name} implements intermediates`).toBeTypeOf("function");
      const [mine, reference] = await Promise.all([candidate.intermediates!(batch), expected.intermediates!(batch)]);
      expect(mine.map((t) => t.name)).toEqual(intermediateShapes(testCase.spec, batch.size).map((t) => t.name));
      checkTensors(`intermediates (${label} batch)`, mine, reference);
    };

    await checkBatch("full", batches[0]!);
    for (const batch of batches) checkLoss("trainStep loss", ...(await trainBoth(candidate, expected, batch, testCase.lr)));
    checkTensors("params after steps", await candidate.getParams(), await expected.getParams());

    // Continue from the reference's parameters: the drift above is checked already, and would
    // otherwise add Hessian · Δparams to the rounding differences of the gradients below.
    await candidate.setParams(await expected.getParams());
    const partial = firstRows(makeBatch(testCase.spec, testCase.data, testCase.batchSize, 99), testCase.partialSize);
    await checkBatch("partial", partial);
    checkLoss("trainStep loss", ...(await trainBoth(candidate, expected, partial, testCase.lr)));
    checkLoss("trainStep loss", ...(await trainBoth(candidate, expected, batches[0]!, testCase.lr)));
    checkTensors("params after steps", await candidate.getParams(), await expected.getParams());
  } finally {
    candidate.dispose();
    expected.dispose();
  }
}

async function trainBoth(candidate: Model, expected: Model, batch: Batch, lr: number): Promise<[number, number]> {
  return [await candidate.trainStep(batch, lr), await expected.trainStep(batch, lr)];
}
