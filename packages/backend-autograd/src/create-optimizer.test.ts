import { initParams, mlpLayers, Rng, type Batch, type ModelSpec, type OptimizerSpec, type OptimizerType } from "@crossprop/core";
import { describe, expect, it } from "vitest";
import { createOptimizer } from "./create-optimizer.ts";
import { AutogradModel } from "./model.ts";
import { Tensor } from "./tensor.ts";

const BASE: OptimizerSpec = { type: "sgd", momentum: 0.9, beta1: 0.8, beta2: 0.99, epsilon: 1e-8, weightDecay: 0.05 };
const TYPES: OptimizerType[] = ["sgd", "momentum", "adam", "adamw"];
/** A different learning rate at every step, as a schedule would give. */
const LRS = [0.1, 0.05, 0.2, 0.1, 0.02];
const NORMAL = { type: "normal" as const, std: 1, limit: 1, gain: null, distribution: "normal" as const };

/** The OptimizerSpec doc comment, written out plainly in float64 over arrays of numbers. */
class ReferenceOptimizer {
  private readonly velocity: number[][];
  private readonly m: number[][];
  private readonly v: number[][];
  private t = 0;

  constructor(
    private readonly spec: OptimizerSpec,
    shapes: number[],
  ) {
    this.velocity = shapes.map((size) => new Array<number>(size).fill(0));
    this.m = shapes.map((size) => new Array<number>(size).fill(0));
    this.v = shapes.map((size) => new Array<number>(size).fill(0));
  }

  step(params: number[][], grads: number[][], lr: number): void {
    const { type, momentum, beta1, beta2, epsilon, weightDecay } = this.spec;
    this.t += 1;
    params.forEach((p, i) => {
      for (let j = 0; j < p.length; j++) {
        let g = grads[i]![j]!;
        if (type !== "adamw") g = g + weightDecay * p[j]!;
        if (type === "sgd") {
          p[j] = p[j]! - lr * g;
        } else if (type === "momentum") {
          this.velocity[i]![j] = momentum * this.velocity[i]![j]! + g;
          p[j] = p[j]! - lr * this.velocity[i]![j]!;
        } else {
          if (type === "adamw") p[j] = p[j]! - lr * weightDecay * p[j]!;
          this.m[i]![j] = beta1 * this.m[i]![j]! + (1 - beta1) * g;
          this.v[i]![j] = beta2 * this.v[i]![j]! + (1 - beta2) * g * g;
          const mHat = this.m[i]![j]! / (1 - beta1 ** this.t);
          const vHat = this.v[i]![j]! / (1 - beta2 ** this.t);
          p[j] = p[j]! - (lr * mHat) / (Math.sqrt(vHat) + epsilon);
        }
      }
    });
  }
}

/** max_i |a_i - b_i| / max(|b_i|, 1e-3) over several arrays. */
function worstRelative(actual: ArrayLike<number>[], expected: number[][]): number {
  let worst = 0;
  expected.forEach((values, i) => values.forEach((b, j) => (worst = Math.max(worst, Math.abs(actual[i]![j]! - b) / Math.max(Math.abs(b), 1e-3)))));
  return worst;
}

// Both sides compute the same formula in float64, differing only in how products and quotients
// associate (a few ulps per step); 1e-13 leaves ample room for 5 steps, while a wrong rule (a
// missing bias correction, coupled vs decoupled decay, t off by one) is off by ≥ 1e-4.
const FORMULA_TOLERANCE = 1e-13;

describe("optimizers against the doc-comment formulas (float64, weight decay 0.05, 5 steps)", () => {
  for (const type of TYPES) {
    it(`${type}: every step matches the plain re-implementation`, () => {
      const spec = { ...BASE, type };
      const rng = new Rng(1, `optimizer:${type}`);
      const shapes = [[2, 3], [3]];
      const params = shapes.map((shape) => Tensor.from(Array.from({ length: shape.reduce((a, b) => a * b) }, () => rng.normal()), shape, "float64", true));
      const reference = params.map((p) => Array.from(p.data));
      const optimizer = createOptimizer(spec, params);
      const expected = new ReferenceOptimizer(spec, params.map((p) => p.size));
      for (const lr of LRS) {
        // A fresh gradient each step, of mixed sizes (Adam's normalisation sees large and tiny ones).
        const grads = params.map((p) => Array.from({ length: p.size }, () => rng.normal() * 10 ** (rng.int(4) - 2)));
        params.forEach((p, i) => p.gradBuffer().set(grads[i]!));
        optimizer.step(lr);
        expected.step(reference, grads, lr);
        expect(worstRelative(params.map((p) => p.data), reference)).toBeLessThan(FORMULA_TOLERANCE);
        params.forEach((p, i) => expect(Array.from(p.grad!), "the gradient is left as backward made it").toEqual(grads[i]));
      }
    });
  }
});

const SPEC: ModelSpec = { inputs: 5, layers: mlpLayers(5, [4], 3, "tanh", "identity"), loss: { type: "cross_entropy", reduction: "mean" }, dtype: "float64" };

function batchOf(spec: ModelSpec, seed: number, rows = 6): Batch {
  const rng = new Rng(seed, "optimizer-model");
  const inputs = Float64Array.from({ length: rows * spec.inputs }, () => rng.normal());
  return { size: rows, inputs, labels: Int32Array.from({ length: rows }, () => rng.int(3)), targets: null };
}

describe("AutogradModel.trainStep with each optimizer", () => {
  for (const type of TYPES) {
    it(`${type}: t counts this model's trainSteps; lossAndGradients neither uses nor changes the state`, async () => {
      const spec = { ...BASE, type };
      const initial = initParams(SPEC, { weights: NORMAL, biases: NORMAL }, 3);
      const model = new AutogradModel(SPEC, initial, spec);
      const twin = new AutogradModel(SPEC, initial, spec);
      const reference = initial.map((p) => Array.from(p.data));
      const expected = new ReferenceOptimizer(spec, reference.map((p) => p.length));
      for (const [step, lr] of LRS.entries()) {
        const batch = batchOf(SPEC, step + 1);
        const { loss, gradients } = await model.lossAndGradients(batch);
        await model.lossAndGradients(batchOf(SPEC, 50 + step)); // another batch in between: no effect
        expect(await model.trainStep(batch, lr)).toBe(loss);
        await twin.trainStep(batch, lr);
        expected.step(reference, gradients.map((g) => Array.from(g.data)), lr);
        const params = await model.getParams();
        expect(worstRelative(params.map((p) => p.data), reference)).toBeLessThan(FORMULA_TOLERANCE);
        expect(params.map((p) => Array.from(p.data))).toEqual((await twin.getParams()).map((p) => Array.from(p.data)));
      }
    });
  }
});

describe("training a tiny classifier with each optimizer", () => {
  // Two Gaussian blobs at (±1, ±1) with labels 0/1; 2 → 8 tanh → 1 logit, bce, float32, full batch.
  const rows = 32;
  const rng = new Rng(5, "blobs");
  const labels = Int32Array.from({ length: rows }, (_, i) => i % 2);
  const inputs = Float32Array.from({ length: rows * 2 }, (_, k) => (labels[k >> 1] === 1 ? 1 : -1) + 0.7 * rng.normal());
  const batch: Batch = { size: rows, inputs, labels, targets: null };
  const spec: ModelSpec = { inputs: 2, layers: mlpLayers(2, [8], 1, "tanh", "identity"), loss: { type: "bce", reduction: "mean" }, dtype: "float32" };
  const lrs: Record<OptimizerType, number> = { sgd: 0.5, momentum: 0.05, adam: 0.05, adamw: 0.05 };

  for (const type of TYPES) {
    it(`${type}: 100 steps at lr ${lrs[type]} cut the loss below a quarter`, async () => {
      const kaiming = { ...NORMAL, type: "kaiming" as const };
      const model = new AutogradModel(spec, initParams(spec, { weights: kaiming, biases: { ...NORMAL, type: "zeros" } }, 1), { ...BASE, type, weightDecay: 0.01 });
      const first = await model.trainStep(batch, lrs[type]);
      let last = first;
      for (let step = 1; step < 100; step++) last = await model.trainStep(batch, lrs[type]);
      expect(last).toBeLessThan(first / 4);
    });
  }
});
