import { spawnSync } from "node:child_process";
import { statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { encodeSafetensors, initParams } from "@crossprop/core";
import { loadConfig, prepareExperiment, type Config } from "@crossprop/config";
import type { Outcome } from "./measurement.ts";

const PYTHON = "/usr/bin/python3"; // Debian's, where python3-torch lives
const TIME_EPOCH = fileURLToPath(new URL("../../../tools/pytorch-compare/time_epoch.py", import.meta.url));
const EXPORT_SPLIT = fileURLToPath(new URL("../scripts/export-split.ts", import.meta.url));

/** PyTorch at its best here (ANCHORS.md): 2 OpenBLAS threads, and no OPENBLAS_CORETYPE, which halves sgemm speed. */
function pytorchEnv(): NodeJS.ProcessEnv {
  const { OPENBLAS_CORETYPE: _halvesBlasSpeed, ...env } = process.env;
  return { ...env, OPENBLAS_NUM_THREADS: "2" };
}

/** torch's version, or null when `import torch` fails (python3-torch not installed). */
export function pytorchVersion(): string | null {
  const child = spawnSync(PYTHON, ["-c", "import torch; print(torch.__version__)"], { encoding: "utf8", env: pytorchEnv() });
  return child.status === 0 ? child.stdout.trim() : null;
}

/** The hyper-parameters time_epoch.py takes; everything else of its recipe is fixed. */
export interface Recipe {
  hidden: number[];
  batchSize: number;
  lr: number;
}

/**
 * The config (with `sets`) as time_epoch.py's recipe — notebook 000's: ReLU MLP, mean softmax
 * cross-entropy, plain SGD at a constant rate, batches in file order, float32 — or why it is not one.
 */
export function pytorchRecipe(configPath: string, sets: readonly string[]): Recipe | { unlike: string } {
  const { model, loss, optimizer, training, dtype } = loadConfig(configPath, sets).config as Config;
  const differences = [
    model.hidden.length > 0 && model.activation !== "relu" && `model.activation ${model.activation}`,
    model.output_activation !== "identity" && `model.output_activation ${model.output_activation}`,
    (loss.type !== "cross_entropy" || loss.reduction !== "mean" || loss.scale !== 1) && `loss ${loss.type}/${loss.reduction}×${loss.scale}`,
    (optimizer.type !== "sgd" || optimizer.weight_decay !== 0 || optimizer.lr_scale !== "none") && `optimizer ${optimizer.type}`,
    optimizer.schedule.type !== "constant" && `schedule ${optimizer.schedule.type}`,
    training.shuffle && "training.shuffle true",
    typeof training.batch_size !== "number" && `batch_size ${training.batch_size}`,
    training.steps !== null && "training.steps",
    dtype !== "float32" && `dtype ${dtype}`,
  ].filter((d): d is string => typeof d === "string");
  if (differences.length > 0) return { unlike: `time_epoch.py does notebook 000's recipe only; this config has ${differences.join(", ")}` };
  return { hidden: [...model.hidden], batchSize: training.batch_size as number, lr: optimizer.lr };
}

/** Writes the config's train/valid split as raw bytes (export-split.ts) for time_epoch.py; null, or why it could not. */
export function exportSplit(configPath: string, dir: string): string | null {
  const child = spawnSync("npx", ["tsx", EXPORT_SPLIT, configPath, dir], { encoding: "utf8" });
  if (child.status !== 0) return `export-split.ts exited ${child.status}: ${child.stderr.trim().split("\n").at(-1)}`;
  for (const name of ["train", "valid"]) {
    const [pixels, labels] = [statSync(join(dir, `${name}-x.u8`)).size, statSync(join(dir, `${name}-y.u8`)).size];
    if (pixels !== labels * 784) return `export-split.ts wrote ${pixels / 784} rows of pixels for ${labels} ${name} labels`;
  }
  return null;
}

/** Writes the initial parameters crossprop trains this config from, so PyTorch starts from the same bytes. */
export function writeInit(configPath: string, sets: readonly string[], file: string): void {
  const { config } = loadConfig(configPath, sets);
  const experiment = prepareExperiment(config);
  writeFileSync(file, encodeSafetensors(initParams(experiment.spec, experiment.init, config.seed)));
}

/** What time_epoch.py printed beside the timings: which BLAS it loaded and its thread counts. */
export interface PytorchSetting {
  blas: string;
  threads: string;
}

export function runPytorch(splitDir: string, initFile: string, recipe: Recipe, epochs: number): { outcome: Outcome; setting?: PytorchSetting } {
  const args = [TIME_EPOCH, splitDir, `--hidden=${recipe.hidden.join(",")}`, `--batch=${recipe.batchSize}`, `--lr=${recipe.lr}`, `--epochs=${epochs}`, `--init=${initFile}`];
  const child = spawnSync(PYTHON, args, { encoding: "utf8", env: pytorchEnv() });
  if (child.status !== 0) return { outcome: { failed: `time_epoch.py exit ${child.status}: ${child.stderr.trim().split("\n").at(-1)}` } };
  const out = JSON.parse(child.stdout) as Record<string, number | string>;
  return {
    outcome: {
      engine: String(out.engine),
      secondsPerEpoch: Number(out.seconds_per_epoch),
      epochSeconds: (out.epoch_seconds as unknown as number[]).map(Number),
      samplesPerSecond: Number(out.samples_per_second),
      peakRssMb: Number(out.peak_rss_mb),
      validAccuracy: Number(out.valid_accuracy),
    },
    setting: { blas: String(out.blas), threads: `torch ${out.torch_threads} thread, OpenBLAS ${out.openblas_threads}` },
  };
}
