import * as tf from "@tensorflow/tfjs";
import { initParams, mlpLayers, type ModelSpec } from "@crossprop/core";
import { createTfjsBackend } from "../src/index.ts";
const spec: ModelSpec = { inputs: 784, layers: mlpLayers(784, [256], 10, "relu", "identity"), loss: { type: "cross_entropy", reduction: "mean" }, dtype: "float32" };
const normal = { type: "normal", std: 1, limit: 0, gain: null, distribution: "normal" } as const;
const model = await createTfjsBackend({ engine: (process.argv[2] ?? "wasm") as "wasm" }).createModel(spec, initParams(spec, { weights: normal, biases: normal }, 0), { type: "sgd", momentum: 0, beta1: 0, beta2: 0, epsilon: 0, weightDecay: 0 });
const inputs = new Float32Array(256 * 784).map((_, i) => ((i * 7919) % 13 === 0 ? (i % 255) / 255 : 0));
const labels = Int32Array.from({ length: 256 }, (_, i) => i % 10);
const batch = { size: 256, inputs, labels, targets: null };
for (let i = 0; i < 20; i++) await model.trainStep(batch, 0.01);
const t0 = performance.now();
for (let i = 0; i < Number(process.argv[3] ?? 100); i++) await model.trainStep(batch, 0.01);
console.log("ms/step", ((performance.now() - t0) / Number(process.argv[3] ?? 100)).toFixed(2));
const info = await tf.profile(async () => { await model.trainStep(batch, 0.01); });
const byKernel = new Map<string, number>();
for (const k of info.kernels) {
  const ms = typeof k.kernelTimeMs === "number" ? k.kernelTimeMs : 0;
  const key = `${k.name} ${JSON.stringify(k.inputShapes)}`;
  byKernel.set(key, (byKernel.get(key) ?? 0) + ms);
}
[...byKernel].sort((a, b) => b[1] - a[1]).slice(0, 25).forEach(([k, ms]) => console.log(ms.toFixed(3), k));
