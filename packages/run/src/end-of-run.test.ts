import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { backendOptions, loadBackend } from "@crossprop/backends";
import { encodeSafetensors, evaluate, initParams, trainingSteps } from "@crossprop/core";
import { parseConfig, prepareExperiment, stepPlan } from "@crossprop/config";
import { describe, expect, it } from "vitest";
import { RunDirectory } from "./run-dir.ts";
import { runToDirectory } from "./run-to-directory.ts";
import { train } from "./train.ts";

// Shuffled, so step 1's batch is not simply the first rows; 150 = 64 + 64 + 22.
const CONFIG = `name: end-of-run
seed: 5
data: { train_size: 150, test_size: 60 }
model: { hidden: [8] }
optimizer: { type: momentum, lr: 0.1 }
training: { epochs: 2, batch_size: 64, shuffle: true }
`;

async function setup(backendName: string) {
  const loaded = parseConfig(CONFIG, "end-of-run.yaml", [`backend=${backendName}`, "training.threads=1"]);
  const experiment = prepareExperiment(loaded.config);
  const backend = await loadBackend(loaded.config.backend, backendOptions(loaded.config.backend, loaded.config, experiment.threads));
  const initial = initParams(experiment.spec, experiment.init, loaded.config.seed);
  return { experiment, backend, initial };
}

describe("train's end of run: predictions and gradients", () => {
  for (const name of ["manual", "autograd", "tfjs"]) {
    it(`${name}: leaves final parameters and metrics as they are; start gradients are those at init on step 1's batch`, async () => {
      const { experiment, backend, initial } = await setup(name);
      const withData = await train(experiment, backend, initial);
      const without = await train(experiment, backend, initial, {}, { endOfRun: false });
      expect(without.endOfRun).toBeNull();
      expect(Buffer.from(encodeSafetensors(withData.final))).toEqual(Buffer.from(encodeSafetensors(without.final)));
      expect(withData.epochs.map(({ seconds, eval_seconds, ...rest }) => rest)).toEqual(without.epochs.map(({ seconds, eval_seconds, ...rest }) => rest));
      expect(withData.stepLosses).toEqual(without.stepLosses);

      const data = withData.endOfRun!;
      expect(data.gradients.map((g) => `${g.name} [${g.shape}]`)).toEqual([
        "start.layers.0.weight [784,8]", "start.layers.0.bias [8]", "start.layers.1.weight [8,10]", "start.layers.1.bias [10]",
        "end.layers.0.weight [784,8]", "end.layers.0.bias [8]", "end.layers.1.weight [8,10]", "end.layers.1.bias [10]",
      ]);
      // A fresh model at init and at the final parameters, on the batch the run's first step trained on.
      const batch = trainingSteps(stepPlan(experiment)).next().value!.batch;
      const initModel = await backend.createModel(experiment.spec, initial, experiment.optimizer);
      const atInit = await initModel.lossAndGradients(batch);
      initModel.dispose();
      const finalModel = await backend.createModel(experiment.spec, withData.final, experiment.optimizer);
      const atEnd = await finalModel.lossAndGradients(batch);
      atInit.gradients.forEach((g, i) => expect(Array.from(data.gradients[i]!.data)).toEqual(Array.from(g.data)));
      atEnd.gradients.forEach((g, i) => expect(Array.from(data.gradients[4 + i]!.data)).toEqual(Array.from(g.data)));
      expect(data.gradients[0]!.data).toBeInstanceOf(Float32Array);

      // The predictions are the final parameters': their mean loss and accuracy are the last evaluation's.
      const valid = await evaluate(finalModel, experiment.dataset.valid, experiment.spec, experiment.encoding);
      finalModel.dispose();
      const predictions = data.predictions;
      if (predictions.kind !== "classes") throw new Error("expected class predictions");
      expect(predictions.loss).toHaveLength(60);
      expect(predictions.loss.reduce((a, b) => a + b, 0) / 60).toBeCloseTo(valid.loss, 12);
      expect(predictions.predicted.filter((p, i) => p === predictions.labels[i]).length / 60).toBe(withData.epochs.at(-1)!.valid_accuracy);
    });
  }
});

describe("a resumed run's predictions.csv and gradients.safetensors", () => {
  it("are byte-identical to an uninterrupted run's (the start gradients at init.safetensors)", async () => {
    const run = async (dir: string, options: { stopAfterEpochs?: number; resume?: boolean } = {}) => {
      const loaded = parseConfig(CONFIG, "end-of-run.yaml", ["training.threads=1"]);
      const experiment = prepareExperiment(loaded.config);
      const controller = new AbortController();
      let evaluations = 0;
      const runDir = RunDirectory.create({ out: dir, name: "end-of-run", backend: loaded.config.backend, ...(options.resume ? { resume: true } : {}) });
      const observer = { onEpoch: () => void (++evaluations === options.stopAfterEpochs && controller.abort("SIGTERM")) };
      return runToDirectory(loaded, experiment, runDir, observer, { signal: controller.signal, ...(options.resume ? { resume: true } : {}) });
    };
    const temp = () => mkdtempSync(join(tmpdir(), "crossprop-end-of-run-"));
    const straight = temp();
    await run(straight);
    const resumed = temp();
    await expect(run(resumed, { stopAfterEpochs: 1 })).rejects.toThrow(/interrupted by SIGTERM/);
    await run(resumed, { resume: true });
    for (const file of ["gradients.safetensors", "predictions.csv", "final.safetensors"]) {
      expect(readFileSync(join(resumed, file)).equals(readFileSync(join(straight, file))), file).toBe(true);
    }
  });
});
