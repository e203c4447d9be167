import { Rng } from "@crossprop/core";
import { describe, expect, it } from "vitest";
import { GRADIENT_TOLERANCE, gradientError, randomTensor } from "./finite-differences.ts";
import { crossEntropy, mse, nll } from "./losses.ts";
import { Tensor } from "./tensor.ts";

const ROWS = 5;
const CLASSES = 4;

function setup(seed: number) {
  const rng = new Rng(seed, "losses");
  const logits = randomTensor(rng, [ROWS, CLASSES]);
  const labels = Int32Array.from({ length: ROWS }, () => rng.int(CLASSES));
  return { rng, logits, labels };
}

describe("crossEntropy", () => {
  for (const reduction of ["mean", "sum"] as const) {
    it(`${reduction}: value is ${reduction === "mean" ? "-mean" : "-Σ"} log softmax at the label, gradient (softmax - onehot)${reduction === "mean" ? "/n" : ""}`, () => {
      const { logits, labels } = setup(reduction === "mean" ? 1 : 2);
      const loss = crossEntropy(logits, labels, reduction);
      const scale = reduction === "mean" ? 1 / ROWS : 1;
      let expected = 0;
      const expectedGrad: number[] = [];
      for (let i = 0; i < ROWS; i++) {
        const row = Array.from(logits.data.subarray(i * CLASSES, (i + 1) * CLASSES));
        const total = row.reduce((s, v) => s + Math.exp(v), 0);
        expected -= (row[labels[i]!]! - Math.log(total)) * scale;
        row.forEach((v, c) => expectedGrad.push((Math.exp(v) / total - (c === labels[i] ? 1 : 0)) * scale));
      }
      // Float64 throughout: the composed and the direct formula differ by a few ulps.
      expect(Math.abs(loss.item() - expected)).toBeLessThan(1e-14 * ROWS);
      loss.backward();
      logits.grad!.forEach((g, i) => expect(Math.abs(g - expectedGrad[i]!)).toBeLessThan(1e-15));
    });

    it(`${reduction}: gradient matches central differences`, () => {
      const { logits, labels } = setup(3);
      expect(gradientError((t) => crossEntropy(t, labels, reduction), [logits])).toBeLessThan(GRADIENT_TOLERANCE);
    });
  }

  it("nll alone is -mean of the picked log-probabilities", () => {
    const logProbs = Tensor.from([-1, -2, -3, -4], [2, 2], "float64");
    expect(nll(logProbs, Int32Array.from([1, 0]), "mean").item()).toBe(2.5);
    expect(nll(logProbs, Int32Array.from([1, 0]), "sum").item()).toBe(5);
  });
});

describe("mse", () => {
  it("mean averages over every element (torch.nn.MSELoss), sum adds them", () => {
    const outputs = Tensor.from([1, 2, 3, 4], [2, 2], "float64", true);
    const targets = Tensor.from([0, 2, 5, 4], [2, 2], "float64");
    expect(mse(outputs, targets, "mean").item()).toBe(5 / 4);
    const loss = mse(outputs, targets, "sum");
    expect(loss.item()).toBe(5);
    loss.backward();
    expect(Array.from(outputs.grad!)).toEqual([2, 0, -4, 0]); // d/do Σ(o - t)² = 2(o - t)
  });

  for (const reduction of ["mean", "sum"] as const) {
    it(`${reduction}: gradients for outputs and targets match central differences`, () => {
      const { rng, logits } = setup(4);
      expect(gradientError((o, t) => mse(o, t, reduction), [logits, randomTensor(rng, [ROWS, CLASSES])])).toBeLessThan(GRADIENT_TOLERANCE);
    });
  }
});
