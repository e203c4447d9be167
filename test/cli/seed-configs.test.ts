import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { FASHION_MNIST_DIR } from "@crossprop/core";
import { BACKEND_NAMES, checkBackends, DEFAULT_CHECK_PARTICIPANTS, DEFAULT_CHECK_REFERENCE, loadParticipant, parseParticipant } from "@crossprop/backends";
import { crossCheck } from "@crossprop/check";
import { loadConfig, prepareExperiment } from "@crossprop/config";
import { describe, expect, it } from "vitest";
import { repoRoot } from "./helpers.ts";

// Every shipped config is valid and cross-checks on all three backends: the same init and batches,
// 3 steps compared at the per-pair tolerances, plus the finite-difference gradient check. (The full
// trainings behind the README's results table take minutes each; `crossprop check` catches a
// backend that would train any of them wrongly.)
const configs = readdirSync(join(repoRoot, "configs")).filter((name) => name.endsWith(".yaml"));

describe("every config in configs/", () => {
  it("includes the seed notebooks' experiments", () => {
    expect(configs).toEqual(
      expect.arrayContaining(["linear.yaml", "mlp.yaml", "regression.yaml", "mlp-deep.yaml", "tanh-mse.yaml", "tanh-adamw.yaml", "xavier-relu.yaml", "binary-linear.yaml", "binary-mlp.yaml"]),
    );
  });

  for (const name of configs) {
    it(`${name}: every backend and engine agrees with the reference and with finite differences`, async () => {
      const loaded = loadConfig(join(repoRoot, "configs", name), ["check.fd_samples=10", "check.fd_rows=16"]);
      if (loaded.config.data.dataset === "fashion-mnist" && !existsSync(FASHION_MNIST_DIR)) {
        expect(() => prepareExperiment(loaded.config)).toThrow(/apt-get install dataset-fashion-mnist/);
        return;
      }
      const experiment = prepareExperiment(loaded.config);
      checkBackends(BACKEND_NAMES, experiment.spec, experiment.optimizer);
      const result = await crossCheck(experiment, {
        // check's default participants (every engine of manual and autograd, tfjs on wasm), reference first.
        backends: await Promise.all(
          [DEFAULT_CHECK_REFERENCE, ...DEFAULT_CHECK_PARTICIPANTS.filter((label) => label !== DEFAULT_CHECK_REFERENCE)].map(async (label) => {
            const participant = parseParticipant(label)!;
            return { ...(await loadParticipant(participant, { tfjs: { engine: "wasm" } })), name: label };
          }),
        ),
        steps: 3,
        override: { rtol: null, atol: null },
        fdSamples: 10,
        fdRows: 16,
        sync: true,
      });
      expect(result.firstDivergence).toBeNull();
      expect(result.numerical.filter((row) => !row.passed)).toEqual([]);
      expect(result.passed).toBe(true);
    });
  }
});
