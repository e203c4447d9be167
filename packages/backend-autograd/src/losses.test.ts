import { Rng, UserError } from "@crossprop/core";
import { describe, expect, it } from "vitest";
import { GRADIENT_TOLERANCE, gradientError, randomTensor } from "./finite-differences.fixture.ts";
import { bce, crossEntropy, mse, nll, sigmoidDistance } from "./losses.ts";
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

/** One logit column [rows, 1] (normal draws, scaled) and 0/1 labels. */
function binarySetup(seed: number, spread = 2) {
  const rng = new Rng(seed, "binary-losses");
  const logits = Tensor.from(Array.from({ length: ROWS }, () => spread * rng.normal()), [ROWS, 1], "float64", true);
  const labels = Int32Array.from({ length: ROWS }, () => rng.int(2));
  return { logits, labels };
}

const sigma = (z: number) => 1 / (1 + Math.exp(-z));

describe("sigmoidDistance", () => {
  for (const reduction of ["mean", "sum"] as const) {
    it(`${reduction}: torch.where(y == 1, 1 - σ(z), σ(z)) to the last bit; gradient ∓σ'(z)${reduction === "mean" ? "/n" : ""}`, () => {
      const { logits, labels } = binarySetup(reduction === "mean" ? 1 : 2);
      const loss = sigmoidDistance(logits, labels, reduction);
      const n = reduction === "mean" ? ROWS : 1;
      const rows = Array.from(logits.data, (z, i) => (labels[i] === 1 ? 1 - sigma(z) : sigma(z)));
      // The same per-row values summed in float64 then scaled: equal up to the order of the sum.
      expect(Math.abs(loss.item() - rows.reduce((a, b) => a + b) / n)).toBeLessThan(1e-15 * ROWS);
      loss.backward();
      logits.grad!.forEach((g, i) => {
        const s = sigma(logits.data[i]!);
        expect(Math.abs(g - ((labels[i] === 1 ? -1 : 1) * s * (1 - s)) / n)).toBeLessThan(1e-16);
      });
    });

    it(`${reduction}: gradient matches central differences`, () => {
      const { logits, labels } = binarySetup(3);
      expect(gradientError((z) => sigmoidDistance(z, labels, reduction), [logits])).toBeLessThan(GRADIENT_TOLERANCE);
    });
  }

  it("refuses labels other than 0 and 1, and more than one column", () => {
    const logits = Tensor.from([0.5, -1], [2, 1], "float64", true);
    expect(() => sigmoidDistance(logits, Int32Array.from([1, 2]), "mean")).toThrow(new UserError("loss sigmoid_distance needs labels 0 or 1, got 2 (row 1)"));
    expect(() => sigmoidDistance(Tensor.zeros([2, 2], "float64"), Int32Array.from([0, 1]), "mean")).toThrow("[rows, 1]");
  });
});

describe("bce", () => {
  const direct = (z: number, y: number) => -(y * Math.log(sigma(z)) + (1 - y) * Math.log(1 - sigma(z)));

  for (const reduction of ["mean", "sum"] as const) {
    it(`${reduction}: equals -[y·log σ(z) + (1 - y)·log(1 - σ(z))]; gradient (σ(z) - y)${reduction === "mean" ? "/n" : ""}`, () => {
      const { logits, labels } = binarySetup(reduction === "mean" ? 4 : 5);
      const loss = bce(logits, labels, reduction);
      const n = reduction === "mean" ? ROWS : 1;
      const expected = Array.from(logits.data, (z, i) => direct(z, labels[i]!)).reduce((a, b) => a + b) / n;
      // The direct form loses a few ulps in log(1 - σ(z)); |z| ≲ 5 here keeps that below 1e-14.
      expect(Math.abs(loss.item() - expected)).toBeLessThan(1e-14);
      loss.backward();
      logits.grad!.forEach((g, i) => expect(Math.abs(g - (sigma(logits.data[i]!) - labels[i]!) / n)).toBeLessThan(1e-15));
    });

    it(`${reduction}: gradient matches central differences`, () => {
      const { logits, labels } = binarySetup(6);
      expect(gradientError((z) => bce(z, labels, reduction), [logits])).toBeLessThan(GRADIENT_TOLERANCE);
    });
  }

  it("at z = 0 exactly the gradient is σ(0) - y = 0.5 - y (no kink from max or |z|)", () => {
    const logits = Tensor.from([0, 0], [2, 1], "float64", true);
    const loss = bce(logits, Int32Array.from([0, 1]), "sum");
    expect(loss.item()).toBe(2 * Math.LN2);
    loss.backward();
    expect(Array.from(logits.grad!)).toEqual([0.5, -0.5]);
  });

  for (const dtype of ["float64", "float32"] as const) {
    it(`${dtype}: stays finite for logits far beyond exp's range, and keeps e^-|z| where 1 + e^-|z| rounds to 1`, () => {
      const far = Tensor.from([800, -800], [2, 1], dtype, true);
      const farLoss = bce(far, Int32Array.from([0, 1]), "sum"); // max(z, 0) - z·y: 800 each, log1p(e^-800) = 0
      expect(farLoss.item()).toBe(1600);
      farLoss.backward();
      expect(Array.from(far.grad!)).toEqual([1, -1]);
      // A confident right answer: the loss is log1p(e^-30) ≈ 9.4e-14, which log(1 + e^-30) rounds to 0.
      const sure = Tensor.from([30], [1, 1], dtype, true);
      const sureLoss = bce(sure, Int32Array.from([1]), "mean");
      expect(Math.abs(sureLoss.item() / Math.log1p(Math.exp(-30)) - 1)).toBeLessThan(dtype === "float64" ? 1e-15 : 1e-6);
      sureLoss.backward();
      // σ(30) - 1 ≈ -9.4e-14 arrives as 1 - 1 - e/(1 + e): absolute rounding of the dtype's ulp at 1.
      expect(Math.abs(sure.grad![0]! - (sigma(30) - 1))).toBeLessThanOrEqual(dtype === "float64" ? 2 ** -52 : 2 ** -23);
    });
  }
});
