import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs";
import { Rng } from "@crossprop/core";
import { useEngine } from "./engine.ts";
import { relativeError } from "./small-models.fixture.ts";
import { setTransposeFreeMatMul } from "./wasm-matmul.ts";

/** Row-major float64 product of op(a) [m, k] and op(b) [k, n], op = transpose when flagged. */
function referenceMatMul(a: Float32Array, b: Float32Array, m: number, k: number, n: number, transposeA: boolean, transposeB: boolean) {
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let sum = 0;
      for (let p = 0; p < k; p++) sum += (transposeA ? a[p * m + i]! : a[i * k + p]!) * (transposeB ? b[j * k + p]! : b[p * n + j]!);
      out[i * n + j] = sum;
    }
  }
  return out;
}

const rng = new Rng(3, "matmul");
const random = (length: number) => Float32Array.from({ length }, () => rng.normal());
const flags: [boolean, boolean][] = [
  [false, false],
  [true, false],
  [false, true],
  [true, true],
];
// float32 products over k = 37 terms of N(0,1) values: ~1e-7 relative; 1e-5 leaves room.
const TOLERANCE = 1e-5;
const numDataIds = () => tf.engine().backend.numDataIds();

describe("wasm BatchMatMul without transposed operands", () => {
  beforeAll(async () => {
    await useEngine("wasm");
  });
  afterAll(() => setTransposeFreeMatMul(true));

  it("is installed by the wasm engine's setup, and removable", () => {
    const installed = tf.getKernel("BatchMatMul", "wasm").kernelFunc;
    setTransposeFreeMatMul(false);
    const stock = tf.getKernel("BatchMatMul", "wasm").kernelFunc;
    setTransposeFreeMatMul(true);
    expect(installed).not.toBe(stock);
    expect(tf.getKernel("BatchMatMul", "wasm").kernelFunc).not.toBe(stock);
  });

  it.each(flags)("computes op(a)·op(b) with transposeA=%s transposeB=%s and frees its temporaries", (transposeA, transposeB) => {
    const [m, k, n] = [5, 37, 6];
    const a = random(m * k);
    const b = random(k * n);
    const dataIds = numDataIds();
    const left = tf.tensor2d(a, transposeA ? [k, m] : [m, k]);
    const right = tf.tensor2d(b, transposeB ? [n, k] : [k, n]);
    const product = tf.matMul(left, right, transposeA, transposeB);
    expect(product.shape).toEqual([m, n]);
    expect(relativeError(product.dataSync(), referenceMatMul(a, b, m, k, n, transposeA, transposeB))).toBeLessThan(TOLERANCE);
    // a, b and the product: no transposed copy may outlive the kernel.
    expect(numDataIds()).toBe(dataIds + 3);
    tf.dispose([left, right, product]);
  });

  it("handles batched (rank-3) operands", () => {
    const [batch, m, k, n] = [3, 4, 5, 2];
    const a = random(batch * k * m);
    const b = random(batch * n * k);
    const values = tf.tidy(() => tf.matMul(tf.tensor3d(a, [batch, k, m]), tf.tensor3d(b, [batch, n, k]), true, true).dataSync());
    for (let i = 0; i < batch; i++) {
      const expected = referenceMatMul(a.subarray(i * k * m, (i + 1) * k * m), b.subarray(i * n * k, (i + 1) * n * k), m, k, n, true, true);
      expect(relativeError(values.subarray(i * m * n, (i + 1) * m * n), expected)).toBeLessThan(TOLERANCE);
    }
  });

  it("leaves autodiff's gradients as tfjs's stock kernel computes them", () => {
    const x = random(6 * 7);
    const w = random(7 * 3);
    const loss = (x: tf.Tensor, w: tf.Tensor) => tf.sum(tf.square(tf.tanh(tf.matMul(x, w))));
    const gradients = () => tf.tidy(() => tf.grads(loss)([tf.tensor2d(x, [6, 7]), tf.tensor2d(w, [7, 3])]).map((g) => g.dataSync()));
    const fast = gradients();
    setTransposeFreeMatMul(false);
    const stock = gradients();
    setTransposeFreeMatMul(true);
    fast.forEach((g, i) => expect(relativeError(g, stock[i]!)).toBeLessThan(TOLERANCE));
  });
});
