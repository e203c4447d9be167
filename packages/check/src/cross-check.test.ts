import { readFileSync } from "node:fs";
import { loadBackend, type BackendName } from "@crossprop/backends";
import type { Backend, Batch } from "@crossprop/core";
import { Ajv } from "ajv";
import { describe, expect, it } from "vitest";
import { parseConfig, prepareExperiment } from "@crossprop/config";
import { checkReportJson, checkReportText } from "./check-report.ts";
import { crossCheck, type CheckResult } from "./cross-check.ts";

const named = (names: BackendName[]) => Promise.all(names.map((name) => loadBackend(name)));
const manualBackend = await loadBackend("manual");

const config = parseConfig(
  `name: tiny
seed: 5
data: { train_size: 512, test_size: 64 }
model: { hidden: [16], activation: relu }
optimizer: { lr: 0.1 }
training: { batch_size: 64, shuffle: true }
`,
  "tiny.yaml",
).config;
const experiment = prepareExperiment(config);

/**
 * A test double with one injected mistake: it wraps the manual backend and scales one parameter's
 * gradient, in lossAndGradients and in the update it applies — a wrong backward pass.
 */
function faulty(parameter: string, scale: number): Backend {
  return {
    name: "faulty",
    supports: manualBackend.supports,
    async createModel(spec, initial, optimizer) {
      const inner = await manualBackend.createModel(spec, initial, optimizer);
      const wrong = async (batch: Batch) => {
        const result = await inner.lossAndGradients(batch);
        const gradient = result.gradients.find((g) => g.name === parameter)!;
        for (let i = 0; i < gradient.data.length; i++) gradient.data[i]! *= scale;
        return result;
      };
      return {
        engine: "faulty",
        lossAndGradients: wrong,
        async trainStep(batch, lr) {
          const { loss, gradients } = await wrong(batch);
          const params = await inner.getParams();
          params.forEach((p, i) => p.data.forEach((value, j) => (p.data[j] = value - lr * gradients[i]!.data[j]!)));
          await inner.setParams(params);
          return loss;
        },
        predict: (inputs, count) => inner.predict(inputs, count),
        getParams: () => inner.getParams(),
        setParams: (params) => inner.setParams(params),
        dispose: () => inner.dispose(),
      };
    },
  };
}

const run = (backends: Backend[], sync = true) =>
  crossCheck(experiment, { backends, steps: 4, override: { rtol: null, atol: null }, fdSamples: 20, fdRows: 16, sync });

const header = (result: CheckResult, backends: string[]) => ({
  name: "tiny",
  config_file: "tiny.yaml",
  dtype: "float32",
  reference: backends[0]!,
  backends,
  steps: result.losses.length,
  synced: true,
});

const validate = new Ajv({ allErrors: true }).compile(JSON.parse(readFileSync(new URL("../schema/check-report.schema.json", import.meta.url), "utf8")));

describe("crossCheck", () => {
  it("passes correct backends, and its JSON report validates against the schema", async () => {
    const result = await run(await named(["manual", "autograd"]));
    expect(result.firstDivergence).toBeNull();
    expect(result.passed).toBe(true);
    expect(result.losses.map((l) => l.step)).toEqual([1, 2, 3, 4]);
    expect(result.firstStep.map((row) => `${row.kind}:${row.tensor}`)).toContain("output:logits");
    expect(result.numerical.every((row) => row.passed && row.checked > 0)).toBe(true);
    const json = JSON.parse(JSON.stringify(checkReportJson(header(result, ["manual", "autograd"]), result)));
    expect(validate(json), JSON.stringify(validate.errors)).toBe(true);
  });

  it("catches a bias gradient scaled by 1.01 and names the parameter", async () => {
    const result = await run([manualBackend, faulty("layers.1.bias", 1.01)]);
    expect(result.passed).toBe(false);
    expect(result.firstDivergence).toMatchObject({ step: 1, backend: "faulty", tensor: "layers.1.bias", kind: "gradient" });
    const fd = result.numerical.filter((row) => !row.passed);
    expect(fd.map((row) => `${row.backend} ${row.parameter}`)).toEqual(["faulty layers.1.bias"]);
    expect(fd[0]!.max_rel_error).toBeGreaterThan(0.005); // the 1% mistake, seen against the float64 reference
    const text = checkReportText(header(result, ["manual", "faulty"]), result);
    expect(text).toMatch(/first divergence: step 1, backend faulty, gradient layers\.1\.bias\[\d+\]/);
    // Two backends cannot outvote each other: the finite differences tell which one is wrong.
    expect(result.blame).toMatchObject({ backend: "faulty", evidence: "finite differences", tensor: "layers.1.bias", kind: "gradient", witnesses: ["manual"] });
    expect(checkReportText(header(result, ["manual", "faulty"]), result, 300)).toMatch(/culprit: faulty — layers\.1\.bias: wrong at step 1 \(max rel [\d.e+-]+ at \[\d+\] > [\d.e-]+\); its gradients fail the finite-difference check, manual's pass/);
    expect(checkReportText(header(result, ["manual", "faulty"]), result, 300)).toMatch(/FAIL: faulty is wrong, first at layers\.1\.bias; finite differences disagree with faulty layers\.1\.bias/);
    const json = JSON.parse(JSON.stringify(checkReportJson(header(result, ["manual", "faulty"]), result)));
    expect(validate(json), JSON.stringify(validate.errors)).toBe(true);
  });

  it("records per step the loss and worst tensor of each kind, equal to what the step's rows say", async () => {
    const result = await run([manualBackend, faulty("layers.1.bias", 1.01)]);
    const worstOf = (rows: typeof result.firstStep, kind: string) => Math.max(...rows.filter((r) => r.kind === kind).map((r) => r.max_rel));
    for (const [index, rows] of [[0, result.firstStep], [3, result.lastStep]] as const) {
      const figures = result.perStep[index]!;
      expect(figures.step).toBe(index + 1);
      const of = (quantity: string) => figures.pairs.find((p) => p.quantity === quantity)!;
      expect(of("loss").max_rel).toBe(result.losses[index]!.rel.faulty);
      for (const kind of ["gradient", "output", "parameter"]) {
        expect(of(kind).max_rel).toBe(worstOf(rows, kind));
        expect(rows.find((r) => r.kind === kind && r.tensor === of(kind).tensor)!.max_rel).toBe(of(kind).max_rel);
      }
      expect(figures.pairs.map((p) => p.tolerance)).toEqual(Object.values(result.tolerances).flatMap((t) => [t.loss, t.tensors.rtol, t.tensors.rtol, t.tensors.rtol]));
    }
    expect(result.perStep.map((s) => s.step)).toEqual([1, 2, 3, 4]);
    // The divergence is at step 1: its rows are the first step's, and the divergent tensor is among them, out of tolerance.
    expect(result.divergentStep).toEqual({ step: 1, rows: result.firstStep });
    expect(result.divergentStep!.rows.find((r) => r.kind === "gradient" && r.tensor === "layers.1.bias")!.allclose).toBe(false);
    expect(result.numerical.find((r) => r.backend === "faulty")!.tolerance).toBe(1e-3);
  });

  it("has no divergent step's rows when nothing diverged", async () => {
    const result = await run([manualBackend]);
    expect(result.divergentStep).toBeNull();
    expect(result.perStep.every((s) => s.pairs.length === 0)).toBe(true);
  });

  it("catches a flipped weight gradient sign, synced or free-running", async () => {
    for (const sync of [true, false]) {
      const result = await run([manualBackend, faulty("layers.0.weight", -1)], sync);
      expect(result.firstDivergence).toMatchObject({ step: 1, backend: "faulty", tensor: "layers.0.weight", kind: "gradient" });
      expect(result.numerical.filter((row) => !row.passed).map((row) => row.parameter)).toEqual(["layers.0.weight"]);
    }
  });

  it("skips elements whose perturbation crosses a ReLU kink instead of failing them", async () => {
    // Zero init: every hidden pre-activation is exactly 0, so every first-layer probe sits on a kink.
    const zeros = prepareExperiment(
      parseConfig(`name: z\ndata: { train_size: 64, test_size: 16 }\nmodel: { hidden: [4], init: { weights: { type: zeros }, biases: { type: zeros } } }\n`, "z.yaml").config,
    );
    const result = await crossCheck(zeros, { backends: [manualBackend], steps: 1, override: { rtol: null, atol: null }, fdSamples: 10, fdRows: 8, sync: true });
    const bias = result.numerical.find((row) => row.parameter === "layers.0.bias")!;
    expect(bias.skipped).toBe(4);
    expect(bias.checked).toBe(0);
    expect(bias.passed).toBe(true);
  });
});
