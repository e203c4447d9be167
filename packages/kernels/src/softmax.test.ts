import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Kernels, loadKernels } from "./index.ts";
import { seededRandom } from "./reference.fixture.ts";

let kernels: Kernels;
beforeAll(async () => {
  kernels = await loadKernels({ threads: 1 });
});
afterAll(() => kernels.dispose());

/** The float64 formula with V8's Math.exp and Math.log (as packages/backend-manual/src/cross-entropy.ts). */
function reference(logits: Float32Array, labels: Int32Array, rows: number, classes: number, factor: number, grad: Float32Array): number {
  let total = 0;
  for (let r = 0; r < rows; r++) {
    const row = logits.subarray(r * classes, (r + 1) * classes);
    const max = row.reduce((m, z) => (z > m ? z : m), Number.NEGATIVE_INFINITY);
    const exps = Array.from(row, (z) => Math.exp(z - max));
    const sum = exps.reduce((a, b) => a + b, 0);
    total += Math.log(sum) + max - row[labels[r]!]!;
    exps.forEach((e, c) => (grad[r * classes + c] += (factor / sum) * e));
    grad[r * classes + labels[r]!] -= factor;
  }
  return total * factor;
}

function batch(rows: number, classes: number, spread: number, seed: number) {
  const random = seededRandom(seed);
  const logits = kernels.allocFloat32(rows * classes);
  for (let i = 0; i < logits.length; i++) logits[i] = (random() - 0.5) * 2 * spread;
  const labels = kernels.allocInt32(rows);
  for (let r = 0; r < rows; r++) labels[r] = Math.floor(random() * classes);
  return { logits, labels };
}

describe("softmaxCrossEntropy", () => {
  // Logits near 0, near 10 (an init of std 1 on MNIST) and near 100, where exp spans 1e-87..1.
  it.each([[1, 1, 1], [3, 2, 5], [256, 10, 1], [256, 10, 30], [256, 10, 200], [17, 33, 3]])(
    "rows=%i classes=%i logits within ±%i: the loss to 1e-14 and the gradient to 1 float32 ulp of the float64 formula with V8's exp",
    (rows, classes, spread) => {
      const { logits, labels } = batch(rows, classes, spread, rows * 1000 + spread);
      const factor = 1 / rows;
      const grad = kernels.allocFloat32(rows * classes);
      const expectedGrad = new Float32Array(rows * classes);
      grad.fill(0.25);
      expectedGrad.fill(0.25);
      const loss = kernels.softmaxCrossEntropy(logits, labels, rows, classes, factor, grad);
      const expected = reference(logits, labels, rows, classes, factor, expectedGrad);
      // The exp and log here and V8's each err by about 1 ulp of a double: sums of ≤ 256 such terms agree far inside 1e-14.
      expect(Math.abs(loss - expected)).toBeLessThanOrEqual(1e-14 * Math.abs(expected));
      for (let i = 0; i < grad.length; i++) {
        const ulp = Math.max(2 ** -149, Math.abs(expectedGrad[i]!) * 2 ** -23);
        expect(Math.abs(grad[i]! - expectedGrad[i]!), `element ${i}`).toBeLessThanOrEqual(ulp);
      }
    },
  );

  it("the sum over the rows is a mean's total (factor 1) and scales with the factor", () => {
    const { logits, labels } = batch(8, 4, 2, 7);
    const sum = kernels.softmaxCrossEntropy(logits, labels, 8, 4, 1, kernels.allocFloat32(32));
    const half = kernels.softmaxCrossEntropy(logits, labels, 8, 4, 0.5, kernels.allocFloat32(32));
    expect(half).toBeCloseTo(sum / 2, 14);
    // Equal logits: every row is log(classes) from its label.
    const flat = kernels.allocFloat32(12);
    expect(kernels.softmaxCrossEntropy(flat, labels, 3, 4, 1, kernels.allocFloat32(12))).toBeCloseTo(3 * Math.log(4), 14);
  });

  it("a NaN logit makes the loss NaN (divergence is caught); a label outside the classes is a RangeError", () => {
    const { logits, labels } = batch(4, 3, 1, 9);
    logits[4] = Number.NaN;
    expect(kernels.softmaxCrossEntropy(logits, labels, 4, 3, 1, kernels.allocFloat32(12))).toBeNaN();
    labels[2] = 3;
    expect(() => kernels.softmaxCrossEntropy(logits, labels, 4, 3, 1, kernels.allocFloat32(12))).toThrow(/label 3 of row 2 is outside \[0, 3\)/);
    expect(() => kernels.softmaxCrossEntropy(logits, new Int32Array(4), 4, 3, 1, kernels.allocFloat32(12))).toThrow(/labels/);
  });
});
