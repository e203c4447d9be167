import type { Model } from "./backend.ts";
import type { Batch } from "./batch.ts";
import { BatchMaker, type TargetEncoding } from "./batches.ts";
import type { Examples } from "./examples.ts";
import type { FloatArray, LossSpec, ModelSpec } from "./model-spec.ts";

/**
 * The loss of a batch from the model's outputs, in float64 — the same definition every backend
 * trains on, used for validation loss and as a reference. Reduction "mean" divides by the batch
 * size (mse: by every element, like torch.nn.MSELoss); "sum" sums.
 */
export function batchLoss(outputs: ArrayLike<number>, batch: Batch, loss: LossSpec, width: number): number {
  let total = 0;
  let count = batch.size;
  for (let i = 0; i < batch.size; i++) {
    const row = i * width;
    if (loss.type === "cross_entropy") {
      // -log softmax(z)[y] = logsumexp(z) - z[y], with the row max subtracted for stability
      let max = -Infinity;
      for (let c = 0; c < width; c++) max = Math.max(max, outputs[row + c]!);
      let sumExp = 0;
      for (let c = 0; c < width; c++) sumExp += Math.exp(outputs[row + c]! - max);
      total += max + Math.log(sumExp) - outputs[row + batch.labels![i]!]!;
    } else if (loss.type === "mse") {
      for (let c = 0; c < width; c++) total += (outputs[row + c]! - batch.targets![row + c]!) ** 2;
    } else {
      const p = outputs[row]!;
      const target = batch.targets ? batch.targets[i]! : batch.labels![i]!;
      const sigma = 1 / (1 + Math.exp(-p));
      if (loss.type === "sigmoid_distance") total += target === 1 ? 1 - sigma : sigma; // notebook 004
      // bce from logits: max(p,0) - p·t + log(1 + e^-|p|)
      else total += Math.max(p, 0) - p * target + Math.log1p(Math.exp(-Math.abs(p)));
    }
  }
  if (loss.type === "mse") count *= width;
  return (loss.reduction === "mean" ? total / count : total) * (loss.scale ?? 1);
}

/** Number of rows whose prediction matches the label: argmax, or output > threshold when width is 1. */
export function correctCount(outputs: ArrayLike<number>, labels: Int32Array, width: number, threshold = 0): number {
  let correct = 0;
  for (let i = 0; i < labels.length; i++) {
    let predicted: number;
    if (width === 1) predicted = outputs[i]! > threshold ? 1 : 0;
    else {
      predicted = 0;
      for (let c = 1; c < width; c++) if (outputs[i * width + c]! > outputs[i * width + predicted]!) predicted = c;
    }
    if (predicted === labels[i]) correct++;
  }
  return correct;
}

/**
 * Accumulates batch losses into a per-example figure: with reduction "mean" a size-weighted mean
 * of the batch means, with "sum" the total over the number of examples.
 */
export class LossMeter {
  private total = 0;
  private examples = 0;
  constructor(private readonly reduction: LossSpec["reduction"]) {}
  add(loss: number, size: number): void {
    this.total += this.reduction === "mean" ? loss * size : loss;
    this.examples += size;
  }
  get value(): number {
    return this.examples === 0 ? NaN : this.total / this.examples;
  }
}

export interface Evaluation {
  loss: number;
  /** null for regression (no labels). */
  accuracy: number | null;
}

/**
 * Rows evaluate() predicts at once: a training batch's worth, so a backend's buffers for a batch
 * serve evaluation too and evaluating adds next to nothing to a run's memory.
 */
export const EVALUATION_ROWS = 256;

/** Loss and accuracy of `model` on every example, predicted `chunk` rows at a time. */
export async function evaluate(
  model: Model,
  examples: Examples,
  spec: ModelSpec,
  encoding: TargetEncoding,
  chunk = EVALUATION_ROWS,
): Promise<Evaluation> {
  const width = spec.layers[spec.layers.length - 1]!.outputs;
  const threshold = spec.layers[spec.layers.length - 1]!.activation === "sigmoid" ? 0.5 : 0;
  const maker = new BatchMaker(examples, Math.min(chunk, examples.count), spec.dtype, encoding);
  const meter = new LossMeter(spec.loss.reduction);
  let correct = 0;
  const rows = new Uint32Array(maker.capacity);
  for (let start = 0; start < examples.count; start += chunk) {
    const size = Math.min(chunk, examples.count - start);
    for (let i = 0; i < size; i++) rows[i] = start + i;
    const batch = maker.make(rows.subarray(0, size));
    const outputs: FloatArray = model.predictBatch ? await model.predictBatch(batch) : await model.predict(batch.inputs, size);
    meter.add(batchLoss(outputs, batch, spec.loss, width), size);
    if (batch.labels) correct += correctCount(outputs, batch.labels, width, threshold);
  }
  return { loss: meter.value, accuracy: examples.labels ? correct / examples.count : null };
}
