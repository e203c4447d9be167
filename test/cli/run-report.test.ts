import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { backendOptions, loadBackend } from "@crossprop/backends";
import { decodeSafetensors, trainingSteps } from "@crossprop/core";
import { loadConfig, prepareExperiment, stepPlan } from "@crossprop/config";
import { crossprop, repoRoot, tempDir, writeConfig } from "./helpers.ts";

// A real MNIST subset, 2 epochs of 4 steps, shuffled (so step 1's batch is not the first rows): about a second.
const SMALL = `name: run-report
seed: 2
data: { train_size: 200, test_size: 100 }
model: { hidden: [16] }
training: { epochs: 2, shuffle: true }
`;

const rowsOf = (csv: string) => csv.trim().split("\n").map((line) => line.split(","));
const summaryOf = (dir: string) => JSON.parse(readFileSync(join(dir, "summary.json"), "utf8")) as { final: { valid_loss: number; valid_accuracy: number | null } };

describe("every crossprop run leaves predictions.csv, gradients.safetensors and report.html", () => {
  const cwd = tempDir();
  const config = writeConfig(SMALL, cwd);
  const run = join(cwd, "run");
  const trained = crossprop(["run", config, "--out", run], cwd);

  it("exits 0; the text chart on stderr, then the report's path below the run directory", () => {
    expect(trained.stderr).not.toMatch(/\n\s+at |warning/);
    expect(trained.status).toBe(0);
    expect(trained.stderr).toMatch(/^loss per step \(8 steps.*\)\n(.*[┤┼].*\n){8}validation accuracy per evaluation \(2\)\n(.*[┤┼].*\n){5}$/m);
    expect(trained.stdout).toContain(`run directory: ${run}\nreport: ${join(run, "report.html")}\n`);
    const html = readFileSync(join(run, "report.html"), "utf8");
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain("<h1>run-report</h1>");
  });

  it("the page the run wrote (digits from the data in memory) is the page crossprop report rebuilds (data loaded again)", () => {
    const rebuilt = join(cwd, "rebuilt.html");
    const result = crossprop(["report", run, "--out", rebuilt], cwd);
    expect(result.status).toBe(0);
    const page = readFileSync(join(run, "report.html"), "utf8");
    expect(page).toMatch(/<div class="gallery" id="confident-wrong"><figure class="digit"><img src="data:image\/png;base64,/);
    expect(readFileSync(rebuilt, "utf8")).toBe(page);
  });

  it("predictions.csv: a row per validation example; its accuracy and mean loss are summary.json's", () => {
    const [header, ...rows] = rowsOf(readFileSync(join(run, "predictions.csv"), "utf8"));
    expect(header).toEqual(["index", "label", "predicted", "probability", "loss"]);
    expect(rows).toHaveLength(100);
    expect(rows.map((row) => Number(row[0]))).toEqual(Array.from({ length: 100 }, (_, i) => i));
    const { final } = summaryOf(run);
    const correct = rows.filter((row) => row[1] === row[2]).length;
    expect(Math.abs(correct / 100 - final.valid_accuracy!)).toBeLessThanOrEqual(1e-12);
    // each loss is written to 7 significant digits: the mean agrees to about that
    const meanLoss = rows.reduce((sum, row) => sum + Number(row[4]), 0) / 100;
    expect(Math.abs(meanLoss - final.valid_loss) / final.valid_loss).toBeLessThan(1e-6);
    for (const row of rows) {
      expect(Number(row[1])).toBeGreaterThanOrEqual(0);
      expect(Number(row[2])).toBeLessThan(10);
      // softmax of the predicted (largest) output: between a uniform guess and certainty
      expect(Number(row[3])).toBeGreaterThanOrEqual(0.1 - 1e-6);
      expect(Number(row[3])).toBeLessThanOrEqual(1);
    }
  });

  it("gradients.safetensors: start and end gradients of every parameter; the start ones are a fresh model's at init on step 1's batch", async () => {
    const { tensors } = decodeSafetensors(readFileSync(join(run, "gradients.safetensors")));
    const shapes = { "layers.0.weight": [784, 16], "layers.0.bias": [16], "layers.1.weight": [16, 10], "layers.1.bias": [10] };
    expect(tensors.map((t) => `${t.name} [${t.shape}]`).sort()).toEqual(
      ["start", "end"].flatMap((when) => Object.entries(shapes).map(([name, shape]) => `${when}.${name} [${shape}]`)).sort(),
    );
    const loaded = loadConfig(config);
    const experiment = prepareExperiment(loaded.config);
    const backend = await loadBackend(loaded.config.backend, backendOptions(loaded.config.backend, loaded.config, experiment.threads));
    const init = decodeSafetensors(readFileSync(join(run, "init.safetensors"))).tensors;
    const model = await backend.createModel(experiment.spec, init, experiment.optimizer);
    const { gradients } = await model.lossAndGradients(trainingSteps(stepPlan(experiment)).next().value!.batch);
    model.dispose();
    for (const gradient of gradients) {
      const saved = tensors.find((t) => t.name === `start.${gradient.name}`)!;
      expect(saved.data).toBeInstanceOf(Float32Array);
      expect(Array.from(saved.data)).toEqual(Array.from(gradient.data));
    }
    // training moved the parameters: the end gradients are others
    const end = tensors.find((t) => t.name === "end.layers.1.bias")!;
    expect(Array.from(end.data)).not.toEqual(Array.from(tensors.find((t) => t.name === "start.layers.1.bias")!.data));
  });

  it("--no-report: no report.html and no report line; --quiet: no chart, the report's path still printed", () => {
    const bare = join(cwd, "bare");
    const result = crossprop(["run", config, "--out", bare, "--no-report"], cwd);
    expect(result.status).toBe(0);
    expect(existsSync(join(bare, "report.html"))).toBe(false);
    expect(existsSync(join(bare, "predictions.csv"))).toBe(true);
    expect(result.stdout).not.toContain("report:");
    const quiet = join(cwd, "quiet");
    const quietResult = crossprop(["run", config, "--out", quiet, "--quiet"], cwd);
    expect(quietResult.status).toBe(0);
    expect(quietResult.stderr).toBe("");
    expect(quietResult.stdout).toContain(`report: ${join(quiet, "report.html")}\n`);
  });

  it("a run that diverges to non-finite parameters: its report, but no predictions or gradients, exit 1", () => {
    const out = join(cwd, "diverged");
    const result = crossprop(["run", config, "--out", out, "--set", "optimizer.lr=1e30", "--quiet"], cwd);
    expect(result.stderr).toMatch(/^error: diverged: /m);
    expect(result.status).toBe(1);
    expect(readFileSync(join(out, "report.html"), "utf8")).toMatch(/class="status diverged">diverged</);
    expect(existsSync(join(out, "predictions.csv"))).toBe(false);
    expect(existsSync(join(out, "gradients.safetensors"))).toBe(false);
  });
});

describe("a regression run's predictions.csv", () => {
  it("has a target and a prediction column per output, a row per validation sample", () => {
    const cwd = tempDir();
    const out = join(cwd, "regression");
    const result = crossprop(["run", join(repoRoot, "configs/regression.yaml"), "--out", out, "--set", "training.epochs=2", "--no-expect", "--quiet"], cwd);
    expect(result.status).toBe(0);
    const [header, ...rows] = rowsOf(readFileSync(join(out, "predictions.csv"), "utf8"));
    expect(header).toEqual(["index", "target_0", "prediction_0", "loss"]);
    expect(rows).toHaveLength(500);
    // loss: ½ (prediction − target)², the config's mse with reduction sum and scale 0.5, of the one row
    for (const [, target, prediction, loss] of rows.slice(0, 20)) {
      expect(Number(loss)).toBeCloseTo(0.5 * (Number(prediction) - Number(target)) ** 2, 4);
    }
    const meanLoss = rows.reduce((sum, row) => sum + Number(row[3]), 0) / rows.length;
    expect(Math.abs(meanLoss - summaryOf(out).final.valid_loss) / summaryOf(out).final.valid_loss).toBeLessThan(1e-6);
  });
});
