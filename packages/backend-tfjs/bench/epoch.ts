/**
 * Times one MLP epoch (784→256 relu→10, cross_entropy mean, SGD lr 1, batch 256, the first 59,500
 * MNIST training images in file order, init normal std 1) on each engine this machine can load.
 *
 *   npx tsx packages/backend-tfjs/bench/epoch.ts [--epochs 3] [--engines wasm,cpu] [--stock-matmul]
 *
 * --stock-matmul adds a run of wasm with tfjs's stock BatchMatMul kernel (transposed operands on its
 * naive loop). Runs take their epochs in turn, so a busy machine slows them alike.
 */
import * as tf from "@tensorflow/tfjs";
import { initParams, loadMnist, mlpLayers, type Batch, type Model, type ModelSpec, type OptimizerSpec } from "@crossprop/core";
import { availableEngines, type EngineChoice } from "../src/engine.ts";
import { createTfjsBackend } from "../src/index.ts";
import { setTransposeFreeMatMul } from "../src/wasm-matmul.ts";

const SAMPLES = 59_500;
const FEATURES = 784;
const CLASSES = 10;
const BATCH = 256;
const LR = 1.0;
const SEED = 0;

const args = process.argv.slice(2);
const option = (name: string) => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? args[at + 1] : undefined;
};
const epochs = Math.max(1, Number(option("epochs") ?? 3));
const stockMatMul = args.includes("--stock-matmul");

const { train } = loadMnist();

/** The first `count` training images scaled to [0, 1] (x / 255), via core's MNIST loader. */
function readImages(count: number): Float32Array {
  return scaled(train.inputs, count * FEATURES);
}

function readLabels(count: number): Int32Array {
  return train.labels!.slice(0, count);
}

const spec: ModelSpec = {
  inputs: FEATURES,
  layers: mlpLayers(FEATURES, [256], CLASSES, "relu", "identity"),
  loss: { type: "cross_entropy", reduction: "mean" },
  dtype: "float32",
};
const sgd: OptimizerSpec = { type: "sgd", momentum: 0, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0 };
const normal = { type: "normal", std: 1, limit: 0, gain: null, distribution: "normal" } as const;
const initial = initParams(spec, { weights: normal, biases: normal }, SEED);

const images = readImages(SAMPLES);
const labels = readLabels(SAMPLES);

function accuracy(logits: Float32Array): number {
  let correct = 0;
  for (let row = 0; row < SAMPLES; row++) {
    let best = 0;
    for (let c = 1; c < CLASSES; c++) if (logits[row * CLASSES + c]! > logits[row * CLASSES + best]!) best = c;
    if (best === labels[row]) correct++;
  }
  return correct / SAMPLES;
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

interface Run {
  label: string;
  model: Model;
  /** wasm with tfjs's stock BatchMatMul instead of the transpose-free one. */
  stock: boolean;
  seconds: number[];
  firstLosses: number[];
  lastLosses: number[];
  accuracy: number;
}

async function epochOf(run: Run, epoch: number): Promise<void> {
  if (run.model.engine === "tfjs-wasm") setTransposeFreeMatMul(!run.stock);
  const losses: number[] = [];
  const start = performance.now();
  for (let row = 0; row < SAMPLES; row += BATCH) {
    const size = Math.min(BATCH, SAMPLES - row);
    const batch: Batch = {
      size,
      inputs: images.subarray(row * FEATURES, (row + size) * FEATURES),
      labels: labels.subarray(row, row + size),
      targets: null,
    };
    losses.push(await run.model.trainStep(batch, LR));
  }
  run.seconds.push((performance.now() - start) / 1000);
  if (epoch === 0) {
    run.firstLosses = losses.slice(0, 10);
    run.lastLosses = losses.slice(-10);
    run.accuracy = accuracy((await run.model.predict(images, SAMPLES)) as Float32Array);
  }
  console.log(`  ${run.label} epoch ${epoch + 1}: ${run.seconds[epoch]!.toFixed(2)} s, mean loss ${mean(losses).toFixed(4)}`);
}

const wanted = option("engines")?.split(",") as EngineChoice[] | undefined;
const engines: EngineChoice[] = wanted ?? (await availableEngines()).map((e) => e.replace("tfjs-", "") as EngineChoice);
const runs: Run[] = [];
const newRun = async (choice: EngineChoice, stock: boolean) => {
  const model = await createTfjsBackend({ engine: choice }).createModel(spec, initial, sgd);
  const label = stock ? `${model.engine} (stock matMul)` : model.engine;
  runs.push({ label, model, stock, seconds: [], firstLosses: [], lastLosses: [], accuracy: 0 });
};
for (const choice of engines) await newRun(choice, false);
if (stockMatMul) await newRun("wasm", true);

console.log(`MLP 784→256 relu→10, ${SAMPLES} samples, batch ${BATCH}, lr ${LR}, ${epochs} epoch(s) per run`);
console.log(`runs: ${runs.map((r) => r.label).join(", ")}`);
const tensorCounts = [tf.memory().numTensors];
for (let epoch = 0; epoch < epochs; epoch++) {
  for (const run of runs) await epochOf(run, epoch);
  tensorCounts.push(tf.memory().numTensors);
}
for (const run of runs) {
  console.log(
    `${run.label}: median ${median(run.seconds).toFixed(2)} s/epoch; ` +
      `loss first 10 batches ${mean(run.firstLosses).toFixed(3)} → last 10 ${mean(run.lastLosses).toFixed(3)}; ` +
      `train accuracy after epoch 1 ${run.accuracy.toFixed(4)}${run.accuracy > 0.8 ? "" : " (BELOW 0.8)"}`,
  );
  run.model.dispose();
}
const steady = tensorCounts.every((n) => n === tensorCounts[0]);
console.log(
  `numTensors (all ${runs.length} models) after creating them and after each epoch: ${tensorCounts.join(" → ")} ` +
    `(${steady ? "constant" : "CHANGING"}); after disposing them: ${tf.memory().numTensors}`,
);

/** bytes[0..length) / 255 as float32, in a loop (Float32Array.from with a map builds a JS array first). */
function scaled(bytes: Uint8Array | Float32Array, length: number): Float32Array {
  const out = new Float32Array(length);
  for (let i = 0; i < length; i++) out[i] = bytes[i]! / 255;
  return out;
}
