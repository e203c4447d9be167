import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { initParams, mlpLayers, referenceIntermediates, type Batch, type ModelInit, type ModelSpec } from "@crossprop/core";
import { describe, expect, it } from "vitest";
import { loadBackend } from "./registry.ts";
import { filled, SOLUTION, STARTER } from "./starter/solution.fixture.ts";
import { isBackendFile, loadUserBackend } from "./user-backend.ts";

function writeModule(name: string, text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), "crossprop-user-backend-")), name);
  writeFileSync(file, text);
  return file;
}

const SPEC: ModelSpec = { inputs: 6, layers: mlpLayers(6, [5], 3, "tanh", "identity"), loss: { type: "cross_entropy", reduction: "mean" }, dtype: "float64" };
const SGD = { type: "sgd", momentum: 0, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0 } as const;
const INIT: ModelInit = {
  weights: { type: "normal", std: 0.5, limit: 0, gain: null, distribution: "normal" },
  biases: { type: "normal", std: 0.1, limit: 0, gain: null, distribution: "normal" },
};

function batchOf(rows: number): Batch {
  const inputs = Float64Array.from({ length: rows * SPEC.inputs }, (_, i) => Math.sin(1.7 * i + 0.3));
  return { size: rows, inputs, labels: Int32Array.from({ length: rows }, (_, r) => r % 3), targets: null };
}

describe("isBackendFile", () => {
  it("takes paths and script names, not registered names", () => {
    expect(["./my.ts", "a/b.js", "mine.mjs", "x.cts"].every(isBackendFile)).toBe(true);
    expect(["manual", "manual:wasm", "tfjs"].some(isBackendFile)).toBe(false);
  });
});

describe("loadUserBackend: the starter", () => {
  it("as written, says the backward pass is not written yet, at the line that says so", async () => {
    const file = writeModule("my-backprop.ts", STARTER);
    const backend = await loadUserBackend(file);
    const model = await backend.createModel(SPEC, initParams(SPEC, INIT, 1), SGD);
    const line = STARTER.slice(0, STARTER.indexOf("throw new Error(\"the backward pass")).split("\n").length;
    await expect(model.lossAndGradients(batchOf(4))).rejects.toThrow(`${file}:${line}:11: lossAndGradients threw: the backward pass is not written yet: fill in backward() in this file`);
  });

  it("filled in correctly, agrees with the registered backend and with finite differences", async () => {
    const file = writeModule("my-backprop.ts", filled(SOLUTION));
    const [mine, reference] = await Promise.all([loadUserBackend(file), loadBackend("manual", { engine: "typescript" })]);
    const initial = initParams(SPEC, INIT, 1);
    const [a, b] = await Promise.all([mine.createModel(SPEC, initial, SGD), reference.createModel(SPEC, initial, SGD)]);
    const batch = batchOf(4);
    const [ours, theirs] = await Promise.all([a.lossAndGradients(batch), b.lossAndGradients(batch)]);
    // float64 both ways, sums in different orders: a few ulps.
    expect(Math.abs(ours.loss - theirs.loss)).toBeLessThan(1e-13);
    ours.gradients.forEach((g, i) => g.data.forEach((v, j) => expect(Math.abs(v - theirs.gradients[i]!.data[j]!)).toBeLessThan(1e-13)));
    const intermediates = await a.intermediates!(batch);
    const numeric = referenceIntermediates(SPEC, initial, batch, 1e-5);
    intermediates.forEach((t, i) => t.data.forEach((v, j) => expect(Math.abs(v - numeric[i]!.data[j]!)).toBeLessThan(1e-8)));
  });
});

describe("loadUserBackend: a module's mistakes are one line naming the file", () => {
  const load = (text: string) => loadUserBackend(writeModule("mine.ts", text));
  it("missing file, a directory, no export, no createModel, an unknown activation", async () => {
    await expect(loadUserBackend("./no-such-backend.ts")).rejects.toThrow("backend file ./no-such-backend.ts: no such file");
    await expect(loadUserBackend(tmpdir())).rejects.toThrow(/is a directory, not a module$/);
    await expect(load("export const x = 1;\n")).rejects.toThrow(/mine\.ts: exports no backend: write `export default backend`/);
    await expect(load("export default { name: 'b', supports: {} };\n")).rejects.toThrow(/its backend has no createModel/);
    await expect(load("export default { supports: { dtypes: ['float64'], activations: ['softmax'], losses: [], optimizers: [] }, createModel() {} };\n")).rejects.toThrow(
      /supports\.activations lists "softmax"; expected some of relu, tanh, sigmoid, identity$/,
    );
  });

  it("a syntax error names its line", async () => {
    const file = writeModule("broken.ts", "export default {\n  name: 'b',,\n};\n");
    await expect(loadUserBackend(file)).rejects.toThrow(new RegExp(`broken\\.ts(:2:\\d+)?: cannot load it: `));
  });

  it("garbage results: wrong names, a NaN, a short predict, a missing method", async () => {
    const model = (body: string) => `
      const supports = { dtypes: ["float64"], activations: ["tanh", "identity"], losses: ["cross_entropy"], optimizers: ["sgd"], engines: [] };
      export default { name: "g", supports, async createModel(spec, initial) { return { ${body} dispose() {} }; } };`;
    const base = "async trainStep() { return 1; }, async predict() { return new Float64Array(1); }, async getParams() { return []; }, async setParams() {},";
    const run = async (body: string, method: (m: Awaited<ReturnType<Awaited<ReturnType<typeof load>>["createModel"]>>) => Promise<unknown>) => {
      const backend = await load(model(body));
      return method(await backend.createModel(SPEC, initParams(SPEC, INIT, 1), SGD));
    };
    await expect(run(`${base} async lossAndGradients() { return { loss: 1, gradients: [{ name: "w", shape: [1], data: new Float64Array(1) }] }; },`, (m) => m.lossAndGradients(batchOf(2)))).rejects.toThrow(
      /lossAndGradients' gradients: expected the tensors layers\.0\.weight, layers\.0\.bias, layers\.1\.weight, layers\.1\.bias in that order, got w$/,
    );
    await expect(run(`${base} async lossAndGradients() { return { loss: NaN, gradients: [] }; },`, (m) => m.lossAndGradients(batchOf(2)))).rejects.toThrow(/lossAndGradients' loss is NaN, not a finite number$/);
    await expect(run(`${base} async lossAndGradients() {},`, (m) => m.predict(new Float64Array(12), 2))).rejects.toThrow(/predict's outputs for 2 rows: 1 values, expected 6$/);
    await expect(load(model("async trainStep() { return 1; },"))).resolves.toBeDefined();
    await expect(run("async trainStep() { return 1; },", async () => undefined)).rejects.toThrow(/mine\.ts: the model createModel returned has no lossAndGradients method$/);
  });
});

describe("loadUserBackend: a module cannot reach crossprop's arrays", () => {
  it("writes into the batch, the initial parameters and what it returns stay its own", async () => {
    const file = writeModule("vandal.ts", `
      export default {
        name: "vandal",
        supports: { dtypes: ["float64"], activations: ["tanh", "identity"], losses: ["cross_entropy"], optimizers: ["sgd"], engines: [] },
        async createModel(spec, initial) {
          initial[0].data.fill(7);
          const keep = initial.map((p) => ({ ...p, data: p.data }));
          return {
            async lossAndGradients(batch) { batch.inputs.fill(9); batch.labels.fill(1); return { loss: 1, gradients: keep }; },
            async trainStep(batch) { batch.inputs.fill(9); keep[0].data.fill(4); return 1; },
            async predict(inputs, count) { inputs.fill(9); return new Float64Array(count * 3); },
            async getParams() { return keep; },
            async setParams(params) { params[0].data.fill(5); },
            dispose() {},
          };
        },
      };`);
    const backend = await loadUserBackend(file);
    const initial = initParams(SPEC, INIT, 1);
    const before = initial.map((p) => p.data.slice());
    const model = await backend.createModel(SPEC, initial, SGD);
    const batch = batchOf(4);
    const inputs = batch.inputs.slice();
    const labels = batch.labels!.slice();
    const returned = await model.lossAndGradients(batch);
    const snapshot = returned.gradients[0]!.data.slice();
    await model.trainStep(batch, 0.1);
    await model.predict(batch.inputs, 4);
    await model.setParams(initial);
    expect(initial.map((p) => p.data)).toEqual(before);
    expect(batch.inputs).toEqual(inputs);
    expect(batch.labels).toEqual(labels);
    // What it returned is a copy: its trainStep rewrote the array it returned, and the result stands.
    expect(returned.gradients[0]!.data).toEqual(snapshot);
    expect(snapshot.every((v) => v === 7)).toBe(true);
  });
});
