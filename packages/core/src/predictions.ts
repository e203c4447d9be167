import type { Model } from "./backend.ts";
import type { Batch } from "./batch.ts";
import { BatchMaker, type TargetEncoding } from "./batches.ts";
import type { Examples } from "./examples.ts";
import { EVALUATION_ROWS, batchLoss } from "./metrics.ts";
import type { DType, FloatArray, ModelSpec } from "./model-spec.ts";

/** A classifier's validation predictions, one entry per example in the examples' order. */
export interface ClassPredictions {
  kind: "classes";
  labels: Int32Array;
  /** argmax of the outputs (first of equal maxima), or output > threshold for one output: what evaluate() counts. */
  predicted: Int32Array;
  /** The model's probability of the predicted class: softmax of the outputs, or σ for one output. */
  probability: Float64Array;
  /** Each example's loss under the config's loss; their mean is evaluate()'s loss. */
  loss: Float64Array;
}

/** A regression model's validation predictions: [count, width] targets and outputs, row-major. */
export interface ValuePredictions {
  kind: "values";
  width: number;
  targets: FloatArray;
  predictions: FloatArray;
  loss: Float64Array;
}

export type Predictions = ClassPredictions | ValuePredictions;

/**
 * Every example's prediction by `model`, `chunk` rows at a time like evaluate(), from the same
 * outputs and the same loss (batchLoss of the one row), so the mean of `loss` is evaluate()'s loss
 * and the share of predicted = label its accuracy.
 */
export async function predictExamples(
  model: Model,
  examples: Examples,
  spec: ModelSpec,
  encoding: TargetEncoding,
  chunk = EVALUATION_ROWS,
): Promise<Predictions> {
  const output = spec.layers[spec.layers.length - 1]!;
  const width = output.outputs;
  const count = examples.count;
  const maker = new BatchMaker(examples, Math.max(1, Math.min(chunk, count)), spec.dtype, encoding);
  const rows = new Uint32Array(maker.capacity);
  const loss = new Float64Array(count);
  const classes = examples.labels !== null;
  const predicted = new Int32Array(classes ? count : 0);
  const probability = new Float64Array(classes ? count : 0);
  const predictions = new Float64Array(classes ? 0 : count * width);
  const targets = new Float64Array(classes ? 0 : count * width);
  for (let start = 0; start < count; start += chunk) {
    const size = Math.min(chunk, count - start);
    for (let i = 0; i < size; i++) rows[i] = start + i;
    const batch = maker.make(rows.subarray(0, size));
    const outputs = await model.predict(batch.inputs, size);
    for (let i = 0; i < size; i++) {
      const z = outputs.subarray(i * width, (i + 1) * width);
      loss[start + i] = batchLoss(z, oneRow(batch, i), spec.loss, width);
      if (classes) {
        const best = width === 1 ? binaryPrediction(z[0]!, output.activation) : softmaxPrediction(z);
        predicted[start + i] = best.predicted;
        probability[start + i] = best.probability;
      } else {
        predictions.set(z, (start + i) * width);
        targets.set(batch.targets!.subarray(i * width, (i + 1) * width), (start + i) * width);
      }
    }
  }
  if (classes) return { kind: "classes", labels: Int32Array.from(examples.labels!), predicted, probability, loss };
  return { kind: "values", width, targets, predictions, loss };
}

/** Row `i` of `batch` as a batch of its own (views, no copies) for batchLoss. */
function oneRow(batch: Batch, i: number): Batch {
  const targetWidth = batch.targets ? batch.targets.length / batch.size : 0;
  return {
    size: 1,
    inputs: batch.inputs.subarray(0, 0),
    labels: batch.labels ? batch.labels.subarray(i, i + 1) : null,
    targets: batch.targets ? batch.targets.subarray(i * targetWidth, (i + 1) * targetWidth) : null,
  };
}

/** argmax (the first of equal maxima, as correctCount) and its softmax probability 1 / Σ_c exp(z_c − z_max). */
function softmaxPrediction(z: ArrayLike<number>): { predicted: number; probability: number } {
  let predicted = 0;
  for (let c = 1; c < z.length; c++) if (z[c]! > z[predicted]!) predicted = c;
  let sumExp = 0;
  for (let c = 0; c < z.length; c++) sumExp += Math.exp(z[c]! - z[predicted]!);
  return { predicted, probability: 1 / sumExp };
}

/**
 * One output: class 1 when it exceeds evaluate()'s threshold (0.5 after a sigmoid activation, else
 * 0 on the logit); the probability of class 1 is σ(z) (the output itself after a sigmoid).
 */
function binaryPrediction(value: number, activation: ModelSpec["layers"][number]["activation"]): { predicted: number; probability: number } {
  const sigmoid = activation === "sigmoid";
  const predicted = value > (sigmoid ? 0.5 : 0) ? 1 : 0;
  const p1 = sigmoid ? value : 1 / (1 + Math.exp(-value));
  return { predicted, probability: predicted === 1 ? p1 : 1 - p1 };
}

/**
 * predictions.csv: `index,label,predicted,probability,loss` for classifiers,
 * `index,target_0,…,prediction_0,…,loss` for regression; numbers with the run dtype's digits
 * (7 significant for float32, 17 for float64), so the file holds what the run computed.
 */
export function predictionsCsv(predictions: Predictions, dtype: DType): string {
  const digits = dtype === "float32" ? 7 : 17;
  const number = (value: number) => (Number.isFinite(value) ? String(Number(value.toPrecision(digits))) : String(value));
  const lines: string[] = [];
  if (predictions.kind === "classes") {
    const { labels, predicted, probability, loss } = predictions;
    lines.push("index,label,predicted,probability,loss");
    for (let i = 0; i < labels.length; i++) lines.push(`${i},${labels[i]},${predicted[i]},${number(probability[i]!)},${number(loss[i]!)}`);
  } else {
    const { width, targets, predictions: values, loss } = predictions;
    const columns = (prefix: string) => Array.from({ length: width }, (_, c) => `${prefix}_${c}`);
    lines.push(["index", ...columns("target"), ...columns("prediction"), "loss"].join(","));
    for (let i = 0; i < loss.length; i++) {
      const cells = [String(i)];
      for (let c = 0; c < width; c++) cells.push(number(targets[i * width + c]!));
      for (let c = 0; c < width; c++) cells.push(number(values[i * width + c]!));
      cells.push(number(loss[i]!));
      lines.push(cells.join(","));
    }
  }
  return `${lines.join("\n")}\n`;
}
