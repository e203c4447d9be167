import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseConfig, prepareExperiment, type Experiment } from "@crossprop/config";
import { encodeSafetensors, initParams, type NamedTensor } from "@crossprop/core";

/**
 * A finished run directory for the report's tests, built from a real config and its real data (so
 * the sha256 and the validation labels are the ones a run would record), without training: the
 * predictions are what `predict` says for each validation example, the parameters are the config's
 * init (start) and init scaled by `endScale` (end), the gradients are the parameters ÷ 100.
 */
export interface FixtureRun {
  dir: string;
  /** Where the config file lives (summary.json config_file), for tests that move its data. */
  configDir: string;
  experiment: Experiment;
}

export interface FixtureOptions {
  /** The config's YAML; a relative data.path is relative to configDir. */
  config: string;
  /** (index, label) → [predicted class, probability of it]; or, for regression, index → predictions. */
  predict?: (index: number, label: number) => [number, number];
  /** Files to leave out, as an older run lacks them. */
  omit?: string[];
  /** Hook to put files beside the config (e.g. its IDX directory) before it is loaded. */
  prepareConfigDir?: (configDir: string) => void;
}

export function fixtureRun(options: FixtureOptions): FixtureRun {
  const root = mkdtempSync(join(tmpdir(), "crossprop-report-fixture-"));
  const configDir = join(root, "configs");
  const dir = join(root, "runs", "run");
  mkdirSync(configDir);
  mkdirSync(dir, { recursive: true });
  options.prepareConfigDir?.(configDir);
  const configFile = join(configDir, "experiment.yaml");
  writeFileSync(configFile, options.config);
  const loaded = parseConfig(options.config, configFile, [], { memoryLimit: null });
  const experiment = prepareExperiment(loaded.config);
  const { dataset } = experiment;
  const omit = new Set(options.omit ?? []);
  const write = (name: string, content: string | Uint8Array) => {
    if (!omit.has(name)) writeFileSync(join(dir, name), content);
  };
  write("summary.json", JSON.stringify(summary(loaded.config.name, configFile, experiment)));
  write("config.resolved.yaml", loaded.resolvedYaml);
  write("metrics.jsonl", `${JSON.stringify({ epoch: 1, train_loss: 0.5, valid_loss: 0.6, valid_accuracy: 0.8 })}\n`);
  write("steps.jsonl", `${JSON.stringify({ step: 1, epoch: 1, loss_per_example: 2.3 })}\n${JSON.stringify({ step: 2, epoch: 1, loss_per_example: 1.1 })}\n`);
  write("predictions.csv", predictionsCsv(experiment, options.predict ?? ((_, label) => [label, 0.9])));
  const start = initParams(experiment.spec, experiment.init, loaded.config.seed);
  const end = start.map((t) => scaled(t, 1.5, t.name));
  write("init.safetensors", encodeSafetensors(start));
  write("final.safetensors", encodeSafetensors(end));
  write("gradients.safetensors", encodeSafetensors([...start.map((t) => scaled(t, 0.01, `start.${t.name}`)), ...end.map((t) => scaled(t, 0.001, `end.${t.name}`))]));
  return { dir, configDir, experiment };
}

function scaled(t: NamedTensor, by: number, name: string): NamedTensor {
  return { name, shape: [...t.shape], data: (t.data as Float32Array).map((v) => v * by) };
}

function predictionsCsv(experiment: Experiment, predict: (index: number, label: number) => [number, number]): string {
  const { valid } = experiment.dataset;
  if (!valid.labels) {
    // Regression: the prediction is the target plus a small, index-dependent error.
    const rows = Array.from({ length: valid.count }, (_, i) => {
      const target = valid.targets![i]!;
      const prediction = target + ((i % 5) - 2) / 10;
      return `${i},${target},${prediction},${(prediction - target) ** 2}`;
    });
    return `index,target_0,prediction_0,loss\n${rows.join("\n")}\n`;
  }
  const rows = Array.from({ length: valid.count }, (_, i) => {
    const label = valid.labels![i]!;
    const [predicted, probability] = predict(i, label);
    return `${i},${label},${predicted},${probability},${predicted === label ? -Math.log(probability) : -Math.log(1 - probability)}`;
  });
  return `index,label,predicted,probability,loss\n${rows.join("\n")}\n`;
}

function summary(name: string, configFile: string, experiment: Experiment): Record<string, unknown> {
  const { dataset } = experiment;
  return {
    schema_version: 2, status: "completed", name, config_file: configFile, backend: "manual", engine: "wasm", threads: 1, seed: 0,
    epochs: 1, steps: 2, evaluations: 1, final: { train_loss: 0.5, valid_loss: 0.6, valid_accuracy: 0.8 },
    seconds_per_epoch: null, samples_per_second: null, wall_seconds: 1, process_peak_rss_mb: 100,
    data: { dataset: dataset.name, split: experiment.config.data.split, classes: dataset.classNames, train_examples: dataset.train.count, valid_examples: dataset.valid.count, sha256: experiment.dataSha256 },
    expectations: [], passed: true, warnings: [], versions: { node: process.versions.node }, provenance: null,
  };
}
