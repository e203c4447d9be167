import {
  allIndices,
  checkGradientAsync,
  compareArrays,
  initParams,
  mlpLayers,
  relativeDifference,
  Rng,
  type Activation,
  type Batch,
  type LossSpec,
  type ModelSpec,
  type OptimizerSpec,
  type ParamList,
} from "@crossprop/core";
import { loadKernels } from "@crossprop/kernels";
import { describe, expect, it } from "vitest";
import { KernelMemory } from "./kernel-memory.ts";
import { AutogradModel } from "./model.ts";

// The wasm engine sums products in float32 (k ascending) where the typescript engine accumulates in
// float64 and rounds once; the losses are the same TypeScript code. So, as the conformance suite
// holds the kernel engines: tensors to 1e-5 relative, against 0.2·max|ref| for elements that come
// out of cancelling sums; losses to 1e-6. Measured here: losses ≤ 4.4e-7, tensors ≤ 6e-6 (a first-layer
// weight gradient after 3 steps, where the parameters have drifted apart by rounding too).
const TOLERANCE = { rtol: 1e-5, atol: null, floor: 0.2 };
const LOSS_TOLERANCE = 1e-6;
const INPUTS = 12;
const ROWS = 8;
// std 0.5 keeps 12 → 10 → 6 → 3 outputs O(1): with std 1 and mse/sum, lr 0.05 steps are chaotic
// enough that 3 steps amplify float32 rounding differences past 1e-5.
const NORMAL = { type: "normal" as const, std: 0.5, limit: 1, gain: null, distribution: "normal" as const };
const OPTIMIZER = { momentum: 0.9, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0 };
const SGD: OptimizerSpec = { type: "sgd", ...OPTIMIZER };

function specOf(activation: Activation, loss: LossSpec, dtype: "float32" | "float64" = "float32"): ModelSpec {
  const outputs = loss.type === "bce" || loss.type === "sigmoid_distance" ? 1 : 3;
  return { inputs: INPUTS, layers: mlpLayers(INPUTS, [10, 6], outputs, activation, "identity"), loss, dtype };
}

/** Pixel rows (a third nonzero) with their scale table, as a batch maker gives byte data; dense inputs only on request. */
function pixelBatch(spec: ModelSpec, rows = ROWS, seed = 1): Batch {
  const rng = new Rng(seed, "pixels");
  // Every third pixel nonzero, at a random place in its triple: a third of the row, as dense as MNIST digits are.
  const bytes = Uint8Array.from({ length: rows * spec.inputs }, () => 0);
  for (let at = 0; at < bytes.length; at += 3) bytes[at + rng.int(3)] = 1 + rng.int(255);
  const scale = new Float32Array(256).map((_, v) => v / 255);
  const width = spec.layers.at(-1)!.outputs;
  const labels = Int32Array.from({ length: rows }, () => rng.int(width === 1 ? 2 : width));
  const targets = Float32Array.from({ length: rows * width }, () => rng.uniform());
  return { size: rows, get inputs() { return Float32Array.from(bytes, (b) => scale[b]!); }, pixels: { bytes, scale }, labels, targets };
}

async function wasmModel(spec: ModelSpec, initial: ParamList, optimizer = SGD, threads = 2): Promise<AutogradModel> {
  return new AutogradModel(spec, initial, optimizer, new KernelMemory(await loadKernels({ threads })));
}

/**
 * Every tensor within TOLERANCE. A one-element tensor (the bias gradient of a one-logit loss) has no
 * larger elements to floor against, and its sum over rows may cancel: the typescript engine's own
 * float32 value is 2.8e-5 from the float64 one on the relu/sigmoid_distance case. Its terms are the
 * per-row gradients, about the scale of the model's other gradients, so it is floored against those.
 */
function expectClose(actual: ParamList, reference: ParamList, what: string): void {
  const scale = Math.max(...reference.map((tensor) => Math.max(...Array.from(tensor.data, Math.abs))));
  actual.forEach((tensor, i) => {
    const atol = tensor.data.length === 1 ? TOLERANCE.rtol * TOLERANCE.floor * scale : null;
    const diff = compareArrays(tensor.data, reference[i]!.data, { ...TOLERANCE, atol });
    expect(diff.allclose, `${what} ${tensor.name}: max rel ${diff.maxRel.toExponential(2)}`).toBe(true);
  });
}

const LOSSES: LossSpec[] = [
  { type: "cross_entropy", reduction: "mean" },
  { type: "mse", reduction: "sum" },
  { type: "bce", reduction: "mean" },
  { type: "sigmoid_distance", reduction: "sum" },
];

describe("the wasm engine against the typescript engine", () => {
  for (const activation of ["relu", "tanh"] as const) {
    for (const loss of LOSSES) {
      it(`${activation}, ${loss.type}: losses, gradients and parameters after 3 steps agree`, async () => {
        const spec = specOf(activation, loss);
        const initial = initParams(spec, { weights: NORMAL, biases: NORMAL }, 2);
        const wasm = await wasmModel(spec, initial);
        const typescript = new AutogradModel(spec, initial, SGD);
        expect(wasm.engine).toBe("wasm-autograd");
        for (let step = 0; step < 3; step++) {
          const batch = pixelBatch(spec, ROWS, step);
          expect(relativeDifference(await wasm.trainStep(batch, 0.05), await typescript.trainStep(batch, 0.05))).toBeLessThan(LOSS_TOLERANCE);
        }
        const batch = pixelBatch(spec, ROWS, 9);
        const [ours, reference] = [await wasm.lossAndGradients(batch), await typescript.lossAndGradients(batch)];
        expect(relativeDifference(ours.loss, reference.loss)).toBeLessThan(LOSS_TOLERANCE);
        expectClose(ours.gradients, reference.gradients, "gradient");
        expectClose(await wasm.getParams(), await typescript.getParams(), "parameter");
        const predictions = await wasm.predict(batch.inputs, ROWS);
        expect(compareArrays(predictions, await typescript.predict(batch.inputs, ROWS), TOLERANCE).allclose).toBe(true);
        wasm.dispose();
      });
    }
  }

  for (const type of ["sgd", "momentum", "adam", "adamw"] as const) {
    it(`${type} with weight decay moves the parameters as on the typescript engine`, async () => {
      const spec = specOf("relu", LOSSES[0]!);
      const initial = initParams(spec, { weights: NORMAL, biases: NORMAL }, 3);
      const optimizer: OptimizerSpec = { ...OPTIMIZER, type, weightDecay: 0.01 };
      const wasm = await wasmModel(spec, initial, optimizer);
      const typescript = new AutogradModel(spec, initial, optimizer);
      for (let step = 0; step < 3; step++) {
        const batch = pixelBatch(spec, ROWS, step);
        await wasm.trainStep(batch, 0.01);
        await typescript.trainStep(batch, 0.01);
      }
      expectClose(await wasm.getParams(), await typescript.getParams(), type);
      wasm.dispose();
    });
  }

  it("reads dense float batches too: sparse (≤ 50% nonzero) and dense, the same as their pixel form", async () => {
    const spec = specOf("relu", LOSSES[0]!);
    const initial = initParams(spec, { weights: NORMAL, biases: NORMAL }, 4);
    const wasm = await wasmModel(spec, initial);
    const typescript = new AutogradModel(spec, initial, SGD);
    const sparse = pixelBatch(spec);
    const { pixels: _, ...dense } = { ...sparse, inputs: sparse.inputs };
    const full: Batch = { ...dense, inputs: dense.inputs.map((v) => v + 0.5) };
    expect((await wasm.lossAndGradients(dense)).loss).toBe((await wasm.lossAndGradients(sparse)).loss);
    const [ours, reference] = [await wasm.lossAndGradients(full), await typescript.lossAndGradients(full)];
    expect(relativeDifference(ours.loss, reference.loss)).toBeLessThan(LOSS_TOLERANCE);
    expectClose(ours.gradients, reference.gradients, "gradient");
    wasm.dispose();
  });

  it("float32 gradients match central differences of the float64 typescript loss", async () => {
    const spec = specOf("tanh", { type: "cross_entropy", reduction: "sum" });
    const initial = initParams(spec, { weights: NORMAL, biases: NORMAL }, 5);
    const batch = pixelBatch(spec);
    const wasm = await wasmModel(spec, initial);
    const { gradients } = await wasm.lossAndGradients(batch);
    wasm.dispose();
    const reference = new AutogradModel({ ...spec, dtype: "float64" }, initial.map((p) => ({ ...p, data: Float64Array.from(p.data) })), SGD);
    const params = await reference.getParams();
    const dense = { ...batch, inputs: Float64Array.from(batch.inputs) };
    const lossAt = async () => {
      await reference.setParams(params);
      return (await reference.lossAndGradients(dense)).loss;
    };
    // Float32 rounding of the forward and gradients (≈1e-6 of their scale) passes at 1e-3, the
    // registry's float32 bound; a 1% mistake in a derivative would not.
    for (const [i, param] of params.entries()) {
      const check = await checkGradientAsync(lossAt, param.data as Float64Array, gradients[i]!.data, allIndices(param.data.length), { step: 1e-6, floor: 1e-2 });
      expect(check.maxRelativeError, param.name).toBeLessThan(1e-3);
    }
  });
});

describe("the wasm engine's memory", () => {
  it("allocates nothing after the first step of each batch size", async () => {
    const spec = specOf("relu", LOSSES[0]!);
    const kernels = await loadKernels({ threads: 2 });
    const memory = new KernelMemory(kernels);
    const model = new AutogradModel(spec, initParams(spec, { weights: NORMAL, biases: NORMAL }, 6), SGD, memory);
    // A full batch and a partial one, as an epoch ends; new pixels every step, all below 50% nonzero.
    const batch = (step: number) => pixelBatch(spec, step % 2 === 0 ? ROWS : 3, step);
    await model.trainStep(batch(0), 0.01);
    await model.trainStep(batch(1), 0.01);
    const [pooled, held, grown] = [model.pooledBytes, memory.bytes, kernels.memory.buffer.byteLength];
    for (let step = 2; step < 12; step++) await model.trainStep(batch(step), 0.01);
    expect([model.pooledBytes, memory.bytes, kernels.memory.buffer.byteLength]).toEqual([pooled, held, grown]);
    model.dispose();
  });

  it("dispose frees the parameters, the pool and the input rows: models made again reuse the same memory", async () => {
    const spec = specOf("relu", LOSSES[0]!);
    const initial = initParams(spec, { weights: NORMAL, biases: NORMAL }, 7);
    const witness = await loadKernels({ threads: 1 }); // keeps the shared memory alive across models
    const cycle = async () => {
      const memory = new KernelMemory(await loadKernels({ threads: 2 }));
      const model = new AutogradModel(spec, initial, SGD, memory);
      for (let step = 0; step < 3; step++) await model.trainStep(pixelBatch(spec, ROWS, step), 0.01);
      await model.predict(pixelBatch(spec, 40).inputs, 40);
      model.dispose();
      expect(memory.bytes).toBe(0);
      expect(() => memory.kernels.allocFloat32(1)).toThrow("disposed");
      return witness.memory.buffer.byteLength;
    };
    const size = await cycle();
    for (let again = 0; again < 3; again++) expect(await cycle()).toBe(size);
    witness.dispose();
  });

  it("gives byte-identical results on 1 and 2 threads", async () => {
    const spec = { ...specOf("relu", LOSSES[0]!), layers: mlpLayers(INPUTS, [300], 3, "relu", "identity") };
    const initial = initParams(spec, { weights: NORMAL, biases: NORMAL }, 8);
    const run = async (threads: number) => {
      const model = await wasmModel(spec, initial, SGD, threads);
      expect(model.threads).toBe(threads);
      const losses: number[] = [];
      // 200 rows × 300 hidden units: every product is above the kernels' parallel threshold.
      for (let step = 0; step < 3; step++) losses.push(await model.trainStep(pixelBatch(spec, 200, step), 0.01));
      const { gradients } = await model.lossAndGradients(pixelBatch(spec, 200, 5));
      const params = await model.getParams();
      model.dispose();
      return { losses, tensors: [...gradients, ...params].map((t) => Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength).toString("hex")) };
    };
    expect(await run(2)).toEqual(await run(1));
  });
});
