/**
 * One MNIST epoch per backend: 784→256(relu)→10, cross entropy (mean), lr 1.0, batch 256, the first
 * 59,500 training images in file order, params from core's initParams (normal, std 1 for weights
 * and biases), as notebook 000 trains it. Reports the median s/epoch and the RSS around each epoch
 * (flat RSS = no graph or buffer leak) and the test accuracy after the last epoch.
 *
 *   npx tsx bench/epoch.ts [epochs=3]
 *   node --expose-gc --import tsx bench/epoch.ts 5 autograd      (GC before each RSS reading)
 */
import { initParams, loadMnist, mlpLayers, type Batch, type Model, type ModelSpec } from "@crossprop/core";
import { autogradBackend } from "../src/index.ts";

const SAMPLES = 59_500;
const BATCH = 256;
const PIXELS = 784;

const mnist = loadMnist();

/** The first `count` images of a split, scaled to [0, 1] (x / 255), via core's MNIST loader. */
function readImages(split: "train" | "test", count: number): Float32Array {
  return scaled(mnist[split].inputs, count * PIXELS);
}

function readLabels(split: "train" | "test", count: number): Int32Array {
  return mnist[split].labels!.slice(0, count);
}

const megabytes = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MB`;
const collect = (globalThis as { gc?: () => void }).gc ?? (() => {});
function rss(): number {
  collect();
  return process.memoryUsage().rss;
}

const spec: ModelSpec = { inputs: PIXELS, layers: mlpLayers(PIXELS, [256], 10, "relu", "identity"), loss: { type: "cross_entropy", reduction: "mean" }, dtype: "float32" };
const normal = { type: "normal" as const, std: 1, limit: 1, gain: null, distribution: "normal" as const };
const optimizer = { type: "sgd" as const, momentum: 0, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0 };

/** One epoch in file order; wall and CPU seconds, the mean loss and the RSS around it. */
async function epoch(model: Model, images: Float32Array, labels: Int32Array) {
  const before = rss();
  const cpu = process.cpuUsage();
  const start = performance.now();
  let lossSum = 0;
  let steps = 0;
  for (let from = 0; from < SAMPLES; from += BATCH) {
    const size = Math.min(BATCH, SAMPLES - from);
    const batch: Batch = { size, inputs: images.subarray(from * PIXELS, (from + size) * PIXELS), labels: labels.subarray(from, from + size), targets: null };
    lossSum += await model.trainStep(batch, 1.0);
    steps++;
  }
  const wall = (performance.now() - start) / 1000;
  const used = process.cpuUsage(cpu);
  return { wall, cpu: (used.user + used.system) / 1e6, loss: lossSum / steps, before, after: rss() };
}

async function accuracy(model: Model, test: { images: Float32Array; labels: Int32Array }): Promise<number> {
  const outputs = await model.predict(test.images, test.labels.length);
  let correct = 0;
  for (let i = 0; i < test.labels.length; i++) {
    let best = 0;
    for (let c = 1; c < 10; c++) if (outputs[i * 10 + c]! > outputs[i * 10 + best]!) best = c;
    if (best === test.labels[i]) correct++;
  }
  return correct / test.labels.length;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return (sorted[Math.floor((sorted.length - 1) / 2)]! + sorted[Math.ceil((sorted.length - 1) / 2)]!) / 2;
}

const [epochArg] = process.argv.slice(2);
const epochs = Number(epochArg ?? 3);
const images = readImages("train", SAMPLES);
const labels = readLabels("train", SAMPLES);
const test = { images: readImages("test", 10_000), labels: readLabels("test", 10_000) };
let zeros = 0;
for (const pixel of images) if (pixel === 0) zeros++;
console.log(`${SAMPLES} samples, ${((100 * zeros) / images.length).toFixed(1)}% zero pixels, batch ${BATCH}, node ${process.version}`);
// Autograd only: a backend never imports another; `pnpm bench` compares all three side by side.
const backends = [autogradBackend];
const initial = initParams(spec, { weights: normal, biases: normal }, 0);
const runs = await Promise.all(backends.map(async (backend) => ({ backend, model: await backend.createModel(spec, initial, optimizer), wall: [] as number[], cpu: [] as number[] })));
for (let e = 1; e <= epochs; e++) {
  for (const run of runs) {
    const result = await epoch(run.model, images, labels);
    run.wall.push(result.wall);
    run.cpu.push(result.cpu);
    const memory = `RSS ${megabytes(result.before)} → ${megabytes(result.after)}`;
    console.log(`${run.backend.name} epoch ${e}: ${result.wall.toFixed(3)} s (cpu ${result.cpu.toFixed(3)} s), mean loss ${result.loss.toFixed(4)}, ${memory}`);
  }
}
for (const run of runs) {
  const summary = `median ${median(run.wall).toFixed(3)} s/epoch (cpu ${median(run.cpu).toFixed(3)} s) of ${epochs}`;
  console.log(`${run.backend.name} (${run.model.engine}): ${summary}, test accuracy ${(await accuracy(run.model, test)).toFixed(4)}`);
  run.model.dispose();
}

/** bytes[0..length) / 255 as float32, in a loop (Float32Array.from with a map builds a JS array first). */
function scaled(bytes: Uint8Array | Float32Array, length: number): Float32Array {
  const out = new Float32Array(length);
  for (let i = 0; i < length; i++) out[i] = bytes[i]! / 255;
  return out;
}
