import { describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs";
import type { OptimizerSpec } from "@crossprop/core";
import { availableEngines, type EngineChoice } from "./engine.ts";
import { createTfjsBackend } from "./index.ts";
import { relativeError, SGD, smallBatch, smallParams, smallSpec } from "./small-models.fixture.ts";

const engines = (await availableEngines()).map((name) => name.replace("tfjs-", "") as EngineChoice);

/** A rate that changes every step, as a schedule gives: each step must use its own. */
const RATES = [0.1, 0.05, 0.2, 0.02];
const WEIGHT_DECAY = 0.1;

/**
 * Every optimizer with weight decay ≠ 0, and the tolerance on Δp = p_after − p_before over the 4
 * steps, relative to each tensor's largest |Δp| (sharper than comparing p itself). Measured on cpu and
 * wasm: sgd and momentum ≤ 2e-6 (float32 p ~0.5, rounded every step), so 1e-5. tfjs's Adam keeps β2
 * as float32 (0.999 → 0.99900001) and β2ᵗ as a float32 running product, so 1 − β2ᵗ comes out 1.3e-5
 * relatively small and each step ~6e-6 relatively short: ≤ 1.15e-5 measured, so 3e-5 there. With
 * β2 = 0.95 that effect is 2e-7 (measured ≤ 6e-7, so 1e-5), and ε = 0.01 is the size of √v̂: ε
 * misplaced (√(v̂ + ε²) gives 0.17) or AdamW's decay coupled (1.0) fail by far.
 */
const OPTIMIZERS: [string, OptimizerSpec, number][] = [
  ["sgd", { ...SGD, weightDecay: WEIGHT_DECAY }, 1e-5],
  ["momentum 0.9", { ...SGD, type: "momentum", momentum: 0.9, weightDecay: WEIGHT_DECAY }, 1e-5],
  ["adam (0.9, 0.999, 1e-8)", { ...SGD, type: "adam", weightDecay: WEIGHT_DECAY }, 3e-5],
  ["adam (0.8, 0.95, 0.01)", { ...SGD, type: "adam", beta1: 0.8, beta2: 0.95, epsilon: 0.01, weightDecay: WEIGHT_DECAY }, 1e-5],
  ["adamw (0.9, 0.999, 1e-8)", { ...SGD, type: "adamw", weightDecay: WEIGHT_DECAY }, 3e-5],
  ["adamw (0.8, 0.95, 0.01)", { ...SGD, type: "adamw", beta1: 0.8, beta2: 0.95, epsilon: 0.01, weightDecay: WEIGHT_DECAY }, 1e-5],
];

/** OptimizerSpec's doc-comment update rules written out literally in float64, one element at a time. */
class ContractOptimizer {
  readonly params: Float64Array[];
  private readonly m: Float64Array[];
  private readonly v: Float64Array[];
  private t = 0;

  constructor(
    private readonly spec: OptimizerSpec,
    initial: readonly ArrayLike<number>[],
  ) {
    this.params = initial.map((p) => Float64Array.from(p));
    this.m = initial.map((p) => new Float64Array(p.length));
    this.v = initial.map((p) => new Float64Array(p.length));
  }

  step(gradients: readonly ArrayLike<number>[], lr: number): void {
    const { type, momentum, beta1, beta2, epsilon, weightDecay } = this.spec;
    const t = ++this.t;
    this.params.forEach((param, k) => {
      const m = this.m[k]!;
      const v = this.v[k]!;
      for (let j = 0; j < param.length; j++) {
        let p = param[j]!;
        let g = gradients[k]![j]!;
        if (type === "adamw") p = p - lr * weightDecay * p;
        else g = g + weightDecay * p;
        if (type === "sgd") {
          p = p - lr * g;
        } else if (type === "momentum") {
          v[j] = momentum * v[j]! + g;
          p = p - lr * v[j]!;
        } else {
          m[j] = beta1 * m[j]! + (1 - beta1) * g;
          v[j] = beta2 * v[j]! + (1 - beta2) * g * g;
          p = p - (lr * (m[j]! / (1 - beta1 ** t))) / (Math.sqrt(v[j]! / (1 - beta2 ** t)) + epsilon);
        }
        param[j] = p;
      }
    });
  }
}

const spec = smallSpec([5], "tanh", "identity", { type: "cross_entropy", reduction: "mean" });

describe.each(engines)("tf.train optimizers on tfjs engine %s", (engine) => {
  const backend = createTfjsBackend({ engine });

  it.each(OPTIMIZERS)("%s, weight decay 0.1, rate changing every step: Δp matches the contract in float64", async (_, optimizer, tolerance) => {
    const initial = smallParams(spec);
    const model = await backend.createModel(spec, initial, optimizer);
    const reference = new ContractOptimizer(optimizer, initial.map((p) => p.data));
    for (const [step, lr] of RATES.entries()) {
      const batch = smallBatch(spec, 8, 10 + step);
      // The reference steps with tfjs's own gradients: this tests the update, not the autodiff.
      const { gradients } = await model.lossAndGradients(batch);
      reference.step(
        gradients.map((g) => g.data),
        lr,
      );
      await model.trainStep(batch, lr);
    }
    const after = await model.getParams();
    model.dispose();
    after.forEach((param, i) => {
      const moved = param.data.map((p, j) => p - initial[i]!.data[j]!);
      const expected = reference.params[i]!.map((p, j) => p - initial[i]!.data[j]!);
      expect(relativeError(moved, expected), param.name).toBeLessThan(tolerance);
    });
  });

  it.each(OPTIMIZERS)("%s: a step at rate 0 after steps at 0.1 changes nothing", async (_, optimizer) => {
    const model = await backend.createModel(spec, smallParams(spec), optimizer);
    const batch = smallBatch(spec, 8);
    await model.trainStep(batch, 0.1);
    await model.trainStep(batch, 0.1);
    const before = await model.getParams();
    await model.trainStep(batch, 0);
    // Bit-identity is the point: p + (−0)·update, and adamw's p·(1 − 0·λ), are exactly p.
    expect(await model.getParams()).toEqual(before);
    model.dispose();
  });

  it.each(OPTIMIZERS)("%s: a constant number of tensors from the second step on; dispose frees the slots", async (_, optimizer) => {
    const start = tf.memory().numTensors;
    const model = await backend.createModel(spec, smallParams(spec), optimizer);
    const batch = smallBatch(spec, 16);
    // The first step creates the optimizer's slots (velocities, moments).
    await model.trainStep(batch, 0.1);
    const held = tf.memory().numTensors;
    const counts: number[] = [];
    for (let step = 0; step < 20; step++) {
      await model.trainStep(batch, step % 2 === 0 ? 0.05 : 0.1);
      await model.lossAndGradients(batch);
      counts.push(tf.memory().numTensors);
    }
    expect(counts).toEqual(counts.map(() => held));
    model.dispose();
    expect(tf.memory().numTensors).toBe(start);
  });
});
