import { initParams, UserError, type Backend, type Batch, type FloatArray, type Model, type ParamList } from "@crossprop/core";
import { afterAll, describe, expect, it } from "vitest";
import type { BackendUnderTest, DTypeTolerances } from "./backends.ts";
import { conformanceCases, firstRows, makeBatch, SGD, type ConformanceCase } from "./cases.ts";
import { DiffLog, scalarDiff, tensorDiff, type Diff } from "./compare.ts";

const INIT_SEED = 7;
/** How a backend says it lacks a loss or optimizer (yet), rather than failing at it. */
const NOT_SUPPORTED = /does not support/;

/**
 * Runs every conformance case on `entry.backend` and on `reference` from the same core-initialised
 * parameters and the same batches, and checks: the loss and every gradient of a batch; predict;
 * the loss of each of several trainSteps in a row and the parameters after them; a partial batch
 * after full ones. Prints the largest differences seen per dtype and quantity.
 *
 * A case marked allowNotYetSupported that either backend refuses with a "does not support"
 * UserError becomes a test named "… — not yet supported by <backend>" asserting exactly that
 * refusal; as soon as both build it, it is compared like every other case.
 */
export function describeConformance(entry: BackendUnderTest, reference: Backend): void {
  const log = new DiffLog();
  const notYetSupported: string[] = [];
  const name = entry.backend.name;
  // async: which backends refuse a case decides the tests' names, so it is asked before they exist.
  describe(`conformance: ${name} vs ${reference.name}`, async () => {
    for (const dtype of ["float32", "float64"] as const) {
      const tolerances = entry[dtype];
      if (tolerances === null) {
        // Not supported: the backend must refuse it with a clear user error, not compute wrongly.
        it(`${dtype}: refused by ${name} with a UserError`, async () => {
          const [testCase] = conformanceCases(dtype);
          const params = initParams(testCase!.spec, testCase!.init, INIT_SEED);
          await expect(entry.backend.createModel(testCase!.spec, params, SGD)).rejects.toThrow(UserError);
          await expect(entry.backend.createModel(testCase!.spec, params, SGD)).rejects.toThrow(/float64/);
        });
        continue;
      }
      for (const testCase of conformanceCases(dtype)) {
        const refusing = testCase.allowNotYetSupported ? await refusingBackends([entry.backend, reference], testCase) : [];
        if (refusing.length > 0) {
          const who = refusing.map((backend) => backend.name).join(" and ");
          notYetSupported.push(`${testCase.name} (${who})`);
          it(`${testCase.name} — not yet supported by ${who}`, async () => {
            const params = initParams(testCase.spec, testCase.init, INIT_SEED);
            for (const backend of refusing) {
              const creating = backend.createModel(testCase.spec, params, testCase.optimizer);
              await expect(creating).rejects.toThrow(UserError);
              await expect(creating).rejects.toThrow(NOT_SUPPORTED);
            }
          });
          continue;
        }
        it(testCase.name, async () => {
          await runCase(testCase, entry.backend, reference, tolerances, (quantity, diff) => log.record(`${name} ${dtype} ${quantity}`, diff, testCase.name));
        });
      }
    }
    afterAll(() => {
      console.log(`conformance ${name} vs ${reference.name}: largest differences (maxRel against the entry's floor, see compare.ts)`);
      console.table(log.rows());
      if (notYetSupported.length > 0) console.log(`not yet supported, ${notYetSupported.length} cases:\n  ${notYetSupported.join("\n  ")}`);
    });
  });
}

/** The backends that refuse to build `testCase` with a "does not support" UserError (any other outcome: not listed). */
async function refusingBackends(backends: Backend[], testCase: ConformanceCase): Promise<Backend[]> {
  const params = initParams(testCase.spec, testCase.init, INIT_SEED);
  const refusing: Backend[] = [];
  for (const backend of backends) {
    try {
      (await backend.createModel(testCase.spec, params, testCase.optimizer)).dispose();
    } catch (error) {
      if (error instanceof UserError && NOT_SUPPORTED.test(error.message)) refusing.push(backend);
    }
  }
  return refusing;
}

type RecordDiff = (quantity: string, diff: Diff) => void;

async function runCase(testCase: ConformanceCase, backend: Backend, reference: Backend, tolerances: DTypeTolerances, record: RecordDiff) {
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
        expect(diff.maxRel, `${quantity} ${tensor.name} at ${diff.index}`).toBeLessThanOrEqual(tolerances.tensors);
      });
    };
    const checkBatch = async (label: string, batch: Batch) => {
      const [ours, theirs] = await Promise.all([candidate.lossAndGradients(batch), expected.lossAndGradients(batch)]);
      checkLoss(`loss (${label} batch)`, ours.loss, theirs.loss);
      checkTensors(`gradients (${label} batch)`, ours.gradients, theirs.gradients);
      const [predicted, wanted] = await Promise.all([candidate.predict(batch.inputs, batch.size), expected.predict(batch.inputs, batch.size)]);
      const outputs = (data: FloatArray) => [{ name: `${label} batch outputs`, shape: [data.length], data }];
      checkTensors("predict", outputs(predicted), outputs(wanted));
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
