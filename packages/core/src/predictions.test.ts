import { describe, expect, it } from "vitest";
import type { Model } from "./backend.ts";
import type { Examples } from "./examples.ts";
import { evaluate } from "./metrics.ts";
import type { Activation, FloatArray, LossSpec, ModelSpec } from "./model-spec.ts";
import { predictExamples, predictionsCsv } from "./predictions.ts";
import { Rng } from "./rng.ts";

const FEATURES = 4;

/** A fixed linear map as the model: outputs = inputs @ weight, float32 like a float32 backend's. */
function linearModel(weight: number[], width: number): Model {
  const predict = async (inputs: FloatArray, count: number) => {
    const out = new Float32Array(count * width);
    for (let r = 0; r < count; r++) {
      for (let c = 0; c < width; c++) {
        let sum = 0;
        for (let f = 0; f < FEATURES; f++) sum += inputs[r * FEATURES + f]! * weight[f * width + c]!;
        out[r * width + c] = sum;
      }
    }
    return out;
  };
  const unused = async () => {
    throw new Error("not used by predictions");
  };
  return { engine: "test", predict, lossAndGradients: unused, trainStep: unused, getParams: unused, setParams: unused, dispose: () => {} };
}

/** `count` examples with inputs from a seeded normal, labels in [0, classes), or regression targets of `targetWidth`. */
function examples(count: number, classes: number, targetWidth = 0): Examples {
  const rng = new Rng(7, "predictions-test");
  const inputs = Float32Array.from({ length: count * FEATURES }, () => rng.normal());
  const labels = classes > 0 ? Int32Array.from({ length: count }, (_, i) => (i * 7 + 3) % classes) : null;
  const targets = targetWidth > 0 ? Float32Array.from({ length: count * targetWidth }, () => rng.normal()) : null;
  return { count, features: FEATURES, inputs, inputDivisor: 1, labels, targets, targetWidth };
}

function spec(width: number, loss: LossSpec, activation: Activation = "identity"): ModelSpec {
  return { inputs: FEATURES, layers: [{ inputs: FEATURES, outputs: width, activation }], loss, dtype: "float32" };
}

const WEIGHT3 = [0.5, -1, 0.2, 1.5, 0.3, -0.7, -0.4, 0.9, 1.1, 0.8, -0.2, 0.05];
const mean = (values: ArrayLike<number>) => Array.from(values).reduce((a, b) => a + b, 0) / values.length;

describe("predictExamples", () => {
  // 600 rows: three chunks of evaluate()'s 256, the last partial
  const data = examples(600, 3);

  it.each([
    ["cross_entropy, mean", { type: "cross_entropy", reduction: "mean" }, { kind: "labels" }],
    ["mse on one-hot rows, sum", { type: "mse", reduction: "sum", scale: 0.5 }, { kind: "onehot", classes: 3, scale: 0.9 }],
    ["mse on one-hot rows, mean", { type: "mse", reduction: "mean" }, { kind: "onehot", classes: 3, scale: 1 }],
  ] as const)("agrees with evaluate(): %s", async (_, loss, encoding) => {
    const model = linearModel(WEIGHT3, 3);
    const predictions = await predictExamples(model, data, spec(3, loss), encoding);
    const evaluation = await evaluate(model, data, spec(3, loss), encoding);
    if (predictions.kind !== "classes") throw new Error("expected class predictions");
    expect(predictions.loss).toHaveLength(600);
    // the same float64 sums, grouped per row instead of per chunk
    expect(mean(predictions.loss)).toBeCloseTo(evaluation.loss, 12);
    const correct = predictions.predicted.filter((p, i) => p === predictions.labels[i]).length;
    expect(correct / 600).toBe(evaluation.accuracy);
    expect(Array.from(predictions.labels)).toEqual(Array.from(data.labels!));
  });

  it("predicts the argmax with its softmax probability", async () => {
    const predictions = await predictExamples(linearModel(WEIGHT3, 3), data, spec(3, { type: "cross_entropy", reduction: "mean" }), { kind: "labels" });
    if (predictions.kind !== "classes") throw new Error("expected class predictions");
    const outputs = await linearModel(WEIGHT3, 3).predict(Float32Array.from(data.inputs.subarray(0, 2 * FEATURES)), 2);
    for (let i = 0; i < 2; i++) {
      const z = Array.from(outputs.subarray(i * 3, i * 3 + 3));
      const best = z.indexOf(Math.max(...z));
      const softmax = Math.exp(z[best]!) / z.reduce((s, v) => s + Math.exp(v), 0);
      expect(predictions.predicted[i]).toBe(best);
      expect(predictions.probability[i]).toBeCloseTo(softmax, 12);
      // cross-entropy of the row: −log softmax(z)[label]
      const label = data.labels![i]!;
      expect(predictions.loss[i]).toBeCloseTo(-Math.log(Math.exp(z[label]!) / z.reduce((s, v) => s + Math.exp(v), 0)), 12);
    }
    for (const p of predictions.probability) expect(p).toBeGreaterThanOrEqual(1 / 3 - 1e-12);
  });

  it("one sigmoid output: class 1 above the threshold, probability σ(z) or 1 − σ(z)", async () => {
    const binary = examples(300, 2);
    const model = linearModel([0.9, -0.3, 0.4, 1.2], 1);
    const bce = spec(1, { type: "sigmoid_distance", reduction: "mean" });
    const predictions = await predictExamples(model, binary, bce, { kind: "labels" });
    const evaluation = await evaluate(model, binary, bce, { kind: "labels" });
    if (predictions.kind !== "classes") throw new Error("expected class predictions");
    const z = (await model.predict(Float32Array.from(binary.inputs), 300))!;
    for (let i = 0; i < 300; i++) {
      const sigma = 1 / (1 + Math.exp(-z[i]!));
      expect(predictions.predicted[i]).toBe(z[i]! > 0 ? 1 : 0);
      expect(predictions.probability[i]).toBeCloseTo(z[i]! > 0 ? sigma : 1 - sigma, 12);
    }
    expect(mean(predictions.loss)).toBeCloseTo(evaluation.loss, 12);
    expect(predictions.predicted.filter((p, i) => p === binary.labels![i]).length / 300).toBe(evaluation.accuracy);
  });

  it("regression: targets and outputs per row, and the loss of each", async () => {
    const values = examples(300, 0, 2);
    const model = linearModel([1, 0, 0, 1, 0.5, 0.5, -1, 2], 2);
    const mse = spec(2, { type: "mse", reduction: "sum", scale: 0.5 });
    const predictions = await predictExamples(model, values, mse, { kind: "values" });
    const evaluation = await evaluate(model, values, mse, { kind: "values" });
    if (predictions.kind !== "values") throw new Error("expected value predictions");
    expect(Array.from(predictions.targets)).toEqual(Array.from(values.targets!));
    const z = await model.predict(Float32Array.from(values.inputs), 300);
    expect(Array.from(predictions.predictions)).toEqual(Array.from(z));
    // ½ Σ_c (z_c − t_c)² per row, the config's reduction applied to one row
    const row0 = 0.5 * ((z[0]! - values.targets![0]!) ** 2 + (z[1]! - values.targets![1]!) ** 2);
    expect(predictions.loss[0]).toBeCloseTo(row0, 12);
    expect(mean(predictions.loss)).toBeCloseTo(evaluation.loss, 12);
  });
});

describe("predictionsCsv", () => {
  it("writes a header and a row per example, float32 numbers to 7 significant digits", () => {
    const csv = predictionsCsv(
      { kind: "classes", labels: Int32Array.of(3, 1), predicted: Int32Array.of(3, 7), probability: Float64Array.of(0.123456789, 1), loss: Float64Array.of(2.5e-9, Infinity) },
      "float32",
    );
    expect(csv).toBe("index,label,predicted,probability,loss\n0,3,3,0.1234568,2.5e-9\n1,1,7,1,Infinity\n");
  });

  it("regression columns per output; float64 keeps 17 digits", () => {
    const csv = predictionsCsv(
      { kind: "values", width: 2, targets: Float64Array.of(1, 2), predictions: Float64Array.of(0.1 + 0.2, -4), loss: Float64Array.of(0.5) },
      "float64",
    );
    expect(csv).toBe("index,target_0,target_1,prediction_0,prediction_1,loss\n0,1,2,0.30000000000000004,-4,0.5\n");
  });
});
