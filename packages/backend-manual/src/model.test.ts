import { describe, expect, it } from "vitest";
import {
  Rng,
  initParams,
  mlpLayers,
  type Batch,
  type DType,
  type FloatArray,
  type ModelSpec,
  type OptimizerSpec,
  type ParamList,
} from "@crossprop/core";
import { createManualBackend, manualBackend } from "./index.ts";

const SGD: OptimizerSpec = { type: "sgd", momentum: 0, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0 };
const NORMAL = { type: "normal", std: 0.5, limit: 0, gain: null, distribution: "normal" } as const;

function makeSpec(dtype: DType = "float64"): ModelSpec {
  return { inputs: 4, layers: mlpLayers(4, [5, 3], 2, "relu", "identity"), loss: { type: "cross_entropy", reduction: "mean" }, dtype };
}

function makeBatch(size: number, dtype: DType = "float64", seed = 3): Batch {
  const rng = new Rng(seed, "data");
  const inputs = dtype === "float64" ? new Float64Array(size * 4) : new Float32Array(size * 4);
  for (let j = 0; j < inputs.length; j++) inputs[j] = rng.uniform() < 0.3 ? 0 : rng.normal();
  return { size, inputs, labels: Int32Array.from({ length: size }, () => rng.int(2)), targets: null };
}

async function makeModel(dtype: DType = "float64", backend = manualBackend) {
  const spec = makeSpec(dtype);
  const initial = initParams(spec, { weights: NORMAL, biases: NORMAL }, 5);
  return { spec, initial, model: await backend.createModel(spec, initial, SGD) };
}

const values = (params: ParamList) => params.map((p) => Array.from(p.data));

describe("manualBackend", () => {
  it("is named manual; float64 runs typescript, float32 the default wasm engine unless typescript is chosen", async () => {
    expect(manualBackend.name).toBe("manual");
    expect((await makeModel()).model.engine).toBe("typescript");
    expect((await makeModel("float32")).model.engine).toBe("wasm");
    expect((await makeModel("float32", createManualBackend({ engine: "typescript" }))).model.engine).toBe("typescript");
  });
});

describe("parameters", () => {
  it("copies the initial parameters instead of aliasing them", async () => {
    const { initial, model } = await makeModel();
    const before = values(initial);
    initial[0]!.data[0] = 123;
    expect(values(await model.getParams())[0]![0]).toBe(before[0]![0]);
  });

  it("getParams returns copies in ParamList order, in the model's dtype", async () => {
    const { spec, model } = await makeModel("float32");
    const params = await model.getParams();
    expect(params.map((p) => [p.name, p.shape])).toEqual([
      ["layers.0.weight", [4, 5]], ["layers.0.bias", [5]],
      ["layers.1.weight", [5, 3]], ["layers.1.bias", [3]],
      ["layers.2.weight", [3, 2]], ["layers.2.bias", [2]],
    ]);
    expect(params[0]!.data).toBeInstanceOf(Float32Array);
    params[0]!.data[0] = 99;
    params[0]!.shape[0] = 99;
    const again = await model.getParams();
    expect(again[0]!.data[0]).not.toBe(99);
    expect(again[0]!.shape).toEqual([spec.inputs, 5]);
  });

  it("setParams copies in and round-trips through getParams", async () => {
    const { model } = await makeModel();
    const rng = new Rng(9, "test");
    const replacement = (await model.getParams()).map((p) => ({ ...p, data: Float64Array.from(p.data, () => rng.normal()) }));
    await model.setParams(replacement);
    const expected = values(replacement);
    replacement[1]!.data[0] = 42;
    expect(values(await model.getParams())).toEqual(expected);
  });

  it("setParams rejects wrong counts, names, shapes and lengths with a clear message", async () => {
    const { model } = await makeModel();
    const params = await model.getParams();
    await expect(model.setParams(params.slice(1))).rejects.toThrow(/expected 6 parameters/);
    const renamed = params.map((p, t) => (t === 2 ? { ...p, name: "layers.9.weight" } : p));
    await expect(model.setParams(renamed)).rejects.toThrow("parameter 2 should be layers.1.weight [5, 3], got layers.9.weight [5, 3] with 15 values");
    const transposed = params.map((p, t) => (t === 0 ? { ...p, shape: [5, 4] } : p));
    await expect(model.setParams(transposed)).rejects.toThrow("parameter 0 should be layers.0.weight [4, 5], got layers.0.weight [5, 4] with 20 values");
    const short = params.map((p, t) => (t === 1 ? { ...p, data: new Float64Array(4) } : p));
    await expect(model.setParams(short)).rejects.toThrow("parameter 1 should be layers.0.bias [5], got layers.0.bias [5] with 4 values");
  });
});

describe("training steps", () => {
  it("lossAndGradients leaves the parameters unchanged and returns fresh gradient copies", async () => {
    const { model } = await makeModel();
    const before = values(await model.getParams());
    const batch = makeBatch(8);
    const first = await model.lossAndGradients(batch);
    expect(values(await model.getParams())).toEqual(before);
    expect(first.gradients.map((g) => [g.name, g.shape])).toEqual((await model.getParams()).map((p) => [p.name, p.shape]));
    const expected = values(first.gradients);
    first.gradients[0]!.data.fill(7);
    const second = await model.lossAndGradients(batch);
    expect(second.loss).toBe(first.loss);
    expect(values(second.gradients)).toEqual(expected);
  });

  // Bit identity is the point: the update rounded exactly as each engine writes it. The typescript
  // loops compute p − lr·g in float64 and round once; the wasm engine is axpy: p + f32(f32(−lr)·g).
  const cases = [
    { dtype: "float64", engine: "typescript", update: (p: number, g: number, lr: number) => p - lr * g },
    { dtype: "float32", engine: "typescript", update: (p: number, g: number, lr: number) => p - lr * g },
    { dtype: "float32", engine: "wasm", update: (p: number, g: number, lr: number) => Math.fround(p + Math.fround(Math.fround(-lr) * g)) },
  ] as const;
  for (const { dtype, engine, update } of cases) {
    it(`${dtype} ${engine}: trainStep returns the loss before the update and sets params to params - lr·grads exactly`, async () => {
      const { model } = await makeModel(dtype, createManualBackend({ engine, threads: 1 }));
      expect(model.engine).toBe(engine);
      const batch = makeBatch(8, dtype);
      const lr = 0.3;
      const before = await model.getParams();
      const { loss, gradients } = await model.lossAndGradients(batch);
      expect(await model.trainStep(batch, lr)).toBe(loss);
      const expected = before.map((p, t) => {
        const data = dtype === "float64" ? new Float64Array(p.data.length) : new Float32Array(p.data.length);
        for (let j = 0; j < data.length; j++) data[j] = update(p.data[j]!, gradients[t]!.data[j]!, lr);
        return Array.from(data);
      });
      expect(values(await model.getParams())).toEqual(expected);
    });
  }

  it("handles a partial batch after a full one, and the full size again, like fresh models", async () => {
    const { model } = await makeModel();
    const full = makeBatch(8, "float64", 1);
    const partial = makeBatch(5, "float64", 2);
    // A partial batch arrives as views into the full-size buffers, with stale rows beyond its size.
    const partialView: Batch = {
      size: 5,
      inputs: Float64Array.from([...partial.inputs, ...full.inputs.subarray(20)]),
      labels: Int32Array.from([...partial.labels!, ...full.labels!.subarray(5)]),
      targets: null,
    };
    const fullResult = await model.lossAndGradients(full);
    const partialResult = await model.lossAndGradients(partialView);
    const fullAgain = await model.lossAndGradients(full);
    const fresh = (await makeModel()).model;
    const freshPartial = await fresh.lossAndGradients(partial);
    expect(partialResult.loss).toBe(freshPartial.loss);
    expect(values(partialResult.gradients)).toEqual(values(freshPartial.gradients));
    expect(fullAgain.loss).toBe(fullResult.loss);
    expect(values(fullAgain.gradients)).toEqual(values(fullResult.gradients));
  });

  it("asks for labels when cross_entropy gets a batch without them", async () => {
    const { model } = await makeModel();
    await expect(model.lossAndGradients({ ...makeBatch(2), labels: null })).rejects.toThrow(/batch.labels/);
  });
});

describe("predict", () => {
  it("returns a new [count, outputs] array of the last layer's outputs, row by row independent", async () => {
    const { model } = await makeModel("float32");
    const rng = new Rng(4, "test");
    // 1030 rows: more than one 1024-row chunk.
    const count = 1030;
    const inputs = Float32Array.from({ length: count * 4 }, () => rng.normal());
    const outputs = await model.predict(inputs, count);
    expect(outputs).toBeInstanceOf(Float32Array);
    expect(outputs.length).toBe(count * 2);
    for (const row of [0, 7, 1023, 1024, 1029]) {
      const single = await model.predict(inputs.subarray(row * 4, row * 4 + 4), 1);
      expect(Array.from(single)).toEqual(Array.from(outputs.subarray(row * 2, row * 2 + 2)));
    }
    expect(await model.predict(inputs, count)).not.toBe(outputs);
    expect((await model.predict(inputs, 0)).length).toBe(0);
  });

  it("gives logits whose cross-entropy is the training loss", async () => {
    const { model } = await makeModel();
    const batch = makeBatch(6);
    const logits: FloatArray = await model.predict(batch.inputs, 6);
    let loss = 0;
    for (let r = 0; r < 6; r++) {
      const [a, b] = [logits[2 * r]!, logits[2 * r + 1]!];
      const max = Math.max(a, b);
      loss += max + Math.log(Math.exp(a - max) + Math.exp(b - max)) - logits[2 * r + batch.labels![r]!]!;
    }
    expect((await model.lossAndGradients(batch)).loss).toBeCloseTo(loss / 6, 14);
  });

  it("refuses to run after dispose", async () => {
    const { model } = await makeModel();
    model.dispose();
    await expect(model.predict(new Float64Array(4), 1)).rejects.toThrow(/disposed/);
    await expect(model.trainStep(makeBatch(2), 0.1)).rejects.toThrow(/disposed/);
  });
});
