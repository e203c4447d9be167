import type { Batch } from "./batch.ts";
import { batchLoss } from "./metrics.ts";
import type { Activation, ModelSpec } from "./model-spec.ts";

/**
 * A plain float64 forward pass of a ModelSpec — the numerical reference for finite-difference
 * gradient checks of every backend. Not a backend: no backward, no optimizer, no speed tricks
 * beyond caching the layers a perturbation does not touch.
 */
export class ReferenceForward {
  /** inputsTo[k]: the activations entering layer k at the base parameters. */
  private readonly inputsTo: Float64Array[] = [];
  private readonly width: number;

  constructor(
    private readonly spec: ModelSpec,
    private readonly batch: Batch,
  ) {
    this.inputsTo[0] = Float64Array.from(batch.inputs);
    this.width = spec.layers[spec.layers.length - 1]!.outputs;
  }

  /**
   * The loss at `params` (weight, bias per layer, row-major) and a hash of which ReLU inputs are
   * positive: two evaluations with different hashes lie on different sides of a ReLU kink.
   * `fromLayer` > 0 reuses the cached activations of the layers before it, which is valid only when
   * those layers' parameters equal the ones of the last call with `fromLayer` = 0.
   */
  evaluate(params: readonly Float64Array[], fromLayer = 0): { loss: number; reluPattern: number } {
    const { layers } = this.spec;
    const rows = this.batch.size;
    let pattern = 0x811c9dc5;
    let current = this.inputsTo[fromLayer]!;
    for (let k = fromLayer; k < layers.length; k++) {
      const { inputs, outputs, activation } = layers[k]!;
      const weight = params[2 * k]!;
      const bias = params[2 * k + 1]!;
      const next = affine(current, weight, bias, rows, inputs, outputs);
      if (activation === "relu") {
        for (let j = 0; j < next.length; j++) if (next[j]! > 0) pattern = Math.imul(pattern ^ j, 0x01000193);
      }
      apply(next, activation);
      if (fromLayer === 0 && k + 1 < layers.length) this.inputsTo[k + 1] = next;
      current = next;
    }
    return { loss: batchLoss(current, this.batch, this.spec.loss, this.width), reluPattern: pattern >>> 0 };
  }
}

/** inputs [rows, n] · weight [n, m] + bias, in float64 (zero inputs skipped: their terms are exactly 0). */
export function affine(inputs: ArrayLike<number>, weight: ArrayLike<number>, bias: ArrayLike<number>, rows: number, n: number, m: number): Float64Array {
  const out = new Float64Array(rows * m);
  for (let r = 0; r < rows; r++) {
    for (let o = 0; o < m; o++) out[r * m + o] = bias[o]!;
    for (let i = 0; i < n; i++) {
      const x = inputs[r * n + i]!;
      if (x === 0) continue;
      for (let o = 0; o < m; o++) out[r * m + o] += x * weight[i * m + o]!;
    }
  }
  return out;
}

/** The activation applied to every value, in place. */
export function apply(values: Float64Array, activation: Activation): void {
  for (let j = 0; j < values.length; j++) {
    const z = values[j]!;
    if (activation === "relu") values[j] = z > 0 ? z : 0;
    else if (activation === "tanh") values[j] = Math.tanh(z);
    else if (activation === "sigmoid") values[j] = 1 / (1 + Math.exp(-z));
  }
}
