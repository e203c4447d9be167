import { fileURLToPath } from "node:url";
import { loadParticipant, loadUserBackend, parseParticipant } from "@crossprop/backends";
import { crossCheck } from "@crossprop/check";
import { parseConfig, prepareExperiment } from "@crossprop/config";
import { MATRIX } from "@crossprop/exercises";
import { describe, expect, it } from "vitest";

const BUGS = fileURLToPath(new URL("../../packages/exercises/bugs/", import.meta.url));

/**
 * The injected-bug matrix through check itself, on real MNIST: every exercise beside two correct
 * backends must fail the check, be named the culprit by the others' agreement — also when it is
 * the reference, so the headline never blames a correct backend — and have the tensor its bug
 * first breaks named (the matrix's, in backprop's order). Tolerances are check's own defaults.
 */
const YAML = `name: matrix
seed: 3
data: { dataset: mnist, train_size: 256, test_size: 64 }
model: { hidden: [16], activation: relu, init: { weights: { type: normal, std: 0.1 }, biases: { type: normal, std: 0.1 } } }
loss: { type: cross_entropy, reduction: mean }
optimizer: { type: sgd, lr: 0.5 }
training: { epochs: 1, batch_size: 32 }
`;

const correct = await Promise.all(["manual:typescript", "autograd:typescript"].map(async (label) => ({ ...(await loadParticipant(parseParticipant(label)!, {})), name: label })));

describe("check catches every exercise and names its tensor", () => {
  // Each exercise once as the reference and once not: blame must not depend on which backend that is.
  for (const [entry, asReference] of MATRIX.flatMap((e) => [[e, true], [e, false]] as const)) {
    it(`${entry.exercise}${asReference ? " (as the reference)" : ""} → ${entry.tensor}`, async () => {
      const experiment = prepareExperiment(parseConfig(YAML, "matrix.yaml", entry.sets).config);
      const file = `${BUGS}${entry.exercise}.ts`;
      const bugged = await loadUserBackend(file);
      const backends = asReference ? [bugged, ...correct] : [...correct, bugged];
      const result = await crossCheck(experiment, { backends, steps: 2, override: { rtol: null, atol: null }, fdSamples: 10, fdRows: 8, sync: true });
      expect(result.passed).toBe(false);
      expect(result.blame, JSON.stringify(result.firstDivergence)).toMatchObject({ backend: file, evidence: "agreement", tensor: entry.tensor, step: 1 });
      expect(result.blame!.witnesses.sort()).toEqual(["autograd:typescript", "manual:typescript"]);
      // Caught with room to spare: every bug is ≥ 100× its tolerance (the smallest, mse-factor-two's 0.5, is 500×).
      expect(result.blame!.max_rel).toBeGreaterThanOrEqual(100 * result.blame!.tolerance);
    });
  }
});
