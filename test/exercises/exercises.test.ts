import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { initParams, type Backend, type Batch, type ModelInit, type ModelSpec, type ParamList } from "@crossprop/core";
import { loadBackend, loadUserBackend } from "@crossprop/backends";
import { exercise, MATRIX } from "@crossprop/exercises";
import { describe, expect, it } from "vitest";

const BUGS = fileURLToPath(new URL("../../packages/exercises/bugs/", import.meta.url));
const INIT: ModelInit = {
  weights: { type: "normal", std: 0.5, limit: 0, gain: null, distribution: "normal" },
  biases: { type: "normal", std: 0.2, limit: 0, gain: null, distribution: "normal" },
};
const STEPS = 3;
const LR = 0.1;

function batchOf(spec: ModelSpec, rows: number, seed: number): Batch {
  const inputs = Float64Array.from({ length: rows * spec.inputs }, (_, i) => Math.sin(1.3 * i + seed) * 1.5);
  const width = spec.layers.at(-1)!.outputs;
  const labels = Int32Array.from({ length: rows }, (_, r) => (r + seed) % Math.max(width, 2));
  const targets = spec.loss.type === "mse" ? Float64Array.from({ length: rows * width }, (_, i) => Number(labels[Math.floor(i / width)] === i % width)) : null;
  return { size: rows, inputs, labels, targets };
}

/**
 * Every tensor of a few steps, named and ordered as check compares them: the forward intermediates,
 * the backward intermediates, the parameter gradients, then the parameters after the update.
 */
async function trace(backend: Backend, spec: ModelSpec, optimizer: (typeof MATRIX)[number]["optimizer"]): Promise<ParamList> {
  const model = await backend.createModel(spec, initParams(spec, INIT, 5), optimizer);
  const out: ParamList = [];
  try {
    for (let step = 1; step <= STEPS; step++) {
      const batch = batchOf(spec, 6, step);
      out.push(...(await model.intermediates!(batch)).map((t) => ({ ...t, name: `${step}:${t.name}` })));
      out.push(...(await model.lossAndGradients(batch)).gradients.map((t) => ({ ...t, name: `${step}:grad:${t.name}` })));
      await model.trainStep(batch, LR);
      out.push(...(await model.getParams()).map((t) => ({ ...t, name: `${step}:param:${t.name}` })));
    }
  } finally {
    model.dispose();
  }
  return out;
}

/** The first tensor of `a` more than `rtol` (relative to the tensor's largest magnitude) from `b`'s. */
function firstDifference(a: ParamList, b: ParamList, rtol: number): string | null {
  for (const [i, tensor] of a.entries()) {
    const other = b[i]!;
    expect(tensor.name).toBe(other.name);
    const scale = Math.max(1e-30, ...Array.from(other.data, Math.abs));
    if (tensor.data.some((v, j) => !(Math.abs(v - other.data[j]!) <= rtol * scale))) return tensor.name;
  }
  return null;
}

describe("exercises", () => {
  it("every file in bugs/ is in the matrix, and every matrix entry has its file", () => {
    const files = readdirSync(BUGS).filter((f) => f.endsWith(".ts")).map((f) => f.replace(/\.ts$/, "")).sort();
    expect(files).toEqual(MATRIX.map((m) => m.exercise).sort());
  });

  // float64 both ways, sums in different orders: ~1e-15 relative; a bug is O(1) (or at least 1e-3 of the update).
  const REFERENCE = loadBackend("manual", { engine: "typescript" });

  for (const entry of MATRIX) {
    it(`without its bug, ${entry.exercise}'s model is the reference's to 1e-12 (${entry.spec.loss.type}, ${entry.spec.layers[0]!.activation}, ${entry.optimizer.type})`, async () => {
      expect(firstDifference(await trace(exercise("correct"), entry.spec, entry.optimizer), await trace(await REFERENCE, entry.spec, entry.optimizer), 1e-12)).toBeNull();
    });

    it(`${entry.exercise} (loaded as a backend file) first breaks ${entry.tensor}`, async () => {
      const bugged = await loadUserBackend(`${BUGS}${entry.exercise}.ts`);
      const first = firstDifference(await trace(bugged, entry.spec, entry.optimizer), await trace(await REFERENCE, entry.spec, entry.optimizer), 1e-9);
      expect(first).toMatch(new RegExp(`^1:(param:|grad:)?${entry.tensor.replaceAll(".", "\\.")}$`));
    });
  }
});
