import { describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs";
import type { LossSpec } from "@crossprop/core";
import { availableEngines, useEngine } from "./engine.ts";
import { lossOf } from "./loss.ts";
import { relativeError } from "./small-models.fixture.ts";

const engines = (await availableEngines()).map((name) => name.replace("tfjs-", "") as "node" | "wasm" | "cpu");

// One logit per row, at the places a binary loss is easy to get wrong: exactly 0 (relu's and abs's
// kinks, where autodiff picks a subgradient), both tails on both labels, where σ(z) rounds to 1.
const LOGITS = [0, 0, 0.75, -1.5, 12, 12, -30, -30, 30];
const LABELS = [0, 1, 1, 0, 0, 1, 0, 1, 1];
const sigma = (z: number) => 1 / (1 + Math.exp(-z));

/** Per row in float64: the loss term and its derivative d(term)/dz. */
const EXPECTED: Record<"sigmoid_distance" | "bce", (z: number, y: number) => [number, number]> = {
  // y = 1 ? 1 − σ(z) : σ(z); dσ/dz = σ(z)·σ(−z)
  sigmoid_distance: (z, y) => [y === 1 ? sigma(-z) : sigma(z), (y === 1 ? -1 : 1) * sigma(z) * sigma(-z)],
  // −[y·log σ(z) + (1 − y)·log σ(−z)]; d/dz = σ(z) − y
  bce: (z, y) => [-(y * Math.log(sigma(z)) + (1 - y) * Math.log(sigma(-z))), sigma(z) - y],
};

/** The loss of LOGITS and d(loss)/d(logits), by tfjs. */
function lossAndGradient(loss: LossSpec): { value: number; gradient: Float32Array } {
  return tf.tidy(() => {
    const logits = tf.tensor2d(LOGITS, [LOGITS.length, 1]);
    const binary = tf.tensor2d(LABELS, [LABELS.length, 1]);
    const targets = { oneHot: null, dense: null, binary };
    const { value, grad } = tf.valueAndGrad((z: tf.Tensor) => lossOf(z as tf.Tensor2D, targets, loss))(logits);
    return { value: value.dataSync()[0]!, gradient: new Float32Array(grad.dataSync()) };
  });
}

describe.each(engines)("binary losses on tfjs engine %s", (engine) => {
  it.each([
    ["sigmoid_distance", "mean", undefined],
    ["sigmoid_distance", "sum", 2],
    ["bce", "mean", undefined],
    ["bce", "sum", 0.5],
  ] as const)("%s/%s, scale %s: value and gradient at z = 0 and in both tails", async (type, reduction, scale) => {
    await useEngine(engine);
    const before = tf.memory().numTensors;
    const { value, gradient } = lossAndGradient({ type, reduction, scale });
    expect(tf.memory().numTensors).toBe(before);

    const factor = (reduction === "mean" ? 1 / LOGITS.length : 1) * (scale ?? 1);
    const terms = LOGITS.map((z, i) => EXPECTED[type](z, LABELS[i]!));
    const expectedValue = factor * terms.reduce((total, [term]) => total + term, 0);
    // float32 terms of O(1) summed over 9 rows: ~1e-7 relative; 1e-6 leaves 10×.
    expect(Math.abs(value - expectedValue) / expectedValue).toBeLessThan(1e-6);
    // Relative to the largest derivative (a tail derivative of ~1e-13 is below float32's reach on
    // the σ(z) ≈ 1 side); 1e-6 still catches a wrong subgradient at 0 (off by 0.5·factor).
    expect(relativeError(gradient, terms.map(([, slope]) => factor * slope))).toBeLessThan(1e-6);
    // At z = 0 exactly: σ(0) − y for bce, ±¼ for sigmoid_distance, not a one-sided kink value.
    const atZero = type === "bce" ? [0.5, -0.5] : [0.25, -0.25];
    expect(Math.abs(gradient[0]! - factor * atZero[0]!)).toBeLessThan(1e-7);
    expect(Math.abs(gradient[1]! - factor * atZero[1]!)).toBeLessThan(1e-7);
  });

});
