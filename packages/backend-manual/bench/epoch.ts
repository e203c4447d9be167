/**
 * Times one training epoch of the reference MLP (784→256 relu→10, cross_entropy mean, SGD lr 1.0,
 * batch 256, 59,500 MNIST training images) on the manual backend; prints the median of 3 epochs
 * and the train accuracy after each, to show the timed code also learns. CPU time is printed too:
 * on a shared machine it is the steadier number.
 * Run: cd /work/main && npx tsx packages/backend-manual/bench/epoch.ts
 */
import { initParams, loadMnist as loadMnistFiles, mlpLayers, Rng, type Batch, type Model, type ModelSpec, type OptimizerSpec } from "@crossprop/core";
import { manualBackend } from "../src/index.ts";

const SAMPLES = 59_500;
const PIXELS = 784;
const CLASSES = 10;
const BATCH_SIZE = 256;
const EPOCHS = 3;
const LEARNING_RATE = 1.0;
const SEED = 0;

/** The first `count` training images scaled to [0, 1] (x / 255) and their labels, via core's MNIST loader. */
function loadMnist(count: number): { pixels: Float32Array; labels: Int32Array } {
  const { train } = loadMnistFiles();
  return { pixels: scaled(train.inputs, count * PIXELS), labels: train.labels!.slice(0, count) };
}

/** One shuffled epoch of training steps; batches are copied into reused buffers. Returns mean loss. */
async function trainEpoch(model: Model, data: { pixels: Float32Array; labels: Int32Array }, rng: Rng): Promise<number> {
  const order = rng.permutation(SAMPLES);
  const inputs = new Float32Array(BATCH_SIZE * PIXELS);
  const labels = new Int32Array(BATCH_SIZE);
  let lossSum = 0;
  let batches = 0;
  for (let first = 0; first < SAMPLES; first += BATCH_SIZE) {
    const size = Math.min(BATCH_SIZE, SAMPLES - first);
    for (let r = 0; r < size; r++) {
      const sample = order[first + r]!;
      inputs.set(data.pixels.subarray(sample * PIXELS, (sample + 1) * PIXELS), r * PIXELS);
      labels[r] = data.labels[sample]!;
    }
    const batch: Batch = { size, inputs: inputs.subarray(0, size * PIXELS), labels: labels.subarray(0, size), targets: null };
    lossSum += await model.trainStep(batch, LEARNING_RATE);
    batches++;
  }
  return lossSum / batches;
}

async function accuracy(model: Model, data: { pixels: Float32Array; labels: Int32Array }): Promise<number> {
  const logits = await model.predict(data.pixels, SAMPLES);
  let correct = 0;
  for (let r = 0; r < SAMPLES; r++) {
    let best = 0;
    for (let c = 1; c < CLASSES; c++) if (logits[r * CLASSES + c]! > logits[r * CLASSES + best]!) best = c;
    if (best === data.labels[r]) correct++;
  }
  return correct / SAMPLES;
}

function median(values: number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
}

async function main(): Promise<void> {
  const data = loadMnist(SAMPLES);
  const spec: ModelSpec = {
    inputs: PIXELS,
    layers: mlpLayers(PIXELS, [256], CLASSES, "relu", "identity"),
    loss: { type: "cross_entropy", reduction: "mean" },
    dtype: "float32",
  };
  // The notebook's recipe: every weight and bias from N(0, 1).
  const normal = { type: "normal", std: 1, limit: 0, gain: null, distribution: "normal" } as const;
  const initial = initParams(spec, { weights: normal, biases: normal }, SEED);
  const optimizer: OptimizerSpec = { type: "sgd", momentum: 0, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0 };
  const model = await manualBackend.createModel(spec, initial, optimizer);
  const rng = new Rng(SEED, "shuffle");
  const wallSeconds: number[] = [];
  const cpuSeconds: number[] = [];
  for (let epoch = 1; epoch <= EPOCHS; epoch++) {
    const started = performance.now();
    const cpuStarted = process.cpuUsage();
    const meanLoss = await trainEpoch(model, data, rng);
    const cpu = process.cpuUsage(cpuStarted);
    wallSeconds.push((performance.now() - started) / 1000);
    cpuSeconds.push((cpu.user + cpu.system) / 1e6);
    const trainAccuracy = await accuracy(model, data);
    console.log(
      `epoch ${epoch}: ${wallSeconds[epoch - 1]!.toFixed(2)} s (cpu ${cpuSeconds[epoch - 1]!.toFixed(2)} s), ` +
        `mean loss ${meanLoss.toFixed(4)}, train accuracy ${trainAccuracy.toFixed(4)}`,
    );
  }
  console.log(
    `manual backend, float32, ${SAMPLES} samples, batch ${BATCH_SIZE}: ` +
      `median ${median(wallSeconds).toFixed(2)} s/epoch (cpu ${median(cpuSeconds).toFixed(2)} s)`,
  );
  model.dispose();
}

await main();

/** bytes[0..length) / 255 as float32, in a loop (Float32Array.from with a map builds a JS array first). */
function scaled(bytes: Uint8Array | Float32Array, length: number): Float32Array {
  const out = new Float32Array(length);
  for (let i = 0; i < length; i++) out[i] = bytes[i]! / 255;
  return out;
}
