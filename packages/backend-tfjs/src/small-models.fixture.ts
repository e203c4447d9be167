import {
  initParams,
  mlpLayers,
  Rng,
  type Activation,
  type Batch,
  type LossSpec,
  type ModelSpec,
  type OptimizerSpec,
  type ParamList,
} from "@crossprop/core";

/** Test-only: small specs, parameters and batches, all drawn from core's seeded Rng. */

export const SGD: OptimizerSpec = { type: "sgd", momentum: 0, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0 };

export function smallSpec(hidden: number[], activation: Activation, output: Activation, loss: LossSpec, inputs = 4, outputs = 3): ModelSpec {
  return { inputs, layers: mlpLayers(inputs, hidden, outputs, activation, output), loss, dtype: "float32" };
}

/** Parameters ~N(0, 0.5²): pre-activations of order 1, rarely within a finite-difference step of relu's kink. */
export function smallParams(spec: ModelSpec, seed = 1): ParamList {
  const normal = { type: "normal", std: 0.5, limit: 0, gain: null, distribution: "normal" } as const;
  return initParams(spec, { weights: normal, biases: normal }, seed, "float32");
}

/**
 * A batch of `size` rows: inputs in [0, 1); labels for cross_entropy, 0/1 labels for sigmoid_distance
 * and bce, targets in [0, 1) for mse.
 */
export function smallBatch(spec: ModelSpec, size: number, seed = 2): Batch {
  const rng = new Rng(seed, "batch");
  const outputs = spec.layers[spec.layers.length - 1]!.outputs;
  const inputs = Float32Array.from({ length: size * spec.inputs }, () => rng.uniform());
  if (spec.loss.type !== "mse") {
    const classes = spec.loss.type === "cross_entropy" ? outputs : 2;
    return { size, inputs, labels: Int32Array.from({ length: size }, () => rng.int(classes)), targets: null };
  }
  return { size, inputs, labels: null, targets: Float32Array.from({ length: size * outputs }, () => rng.uniform()) };
}

/** Largest |actual - expected| relative to the largest |expected| (a scale-free error for a whole tensor). */
export function relativeError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  let scale = 0;
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    scale = Math.max(scale, Math.abs(expected[i]!));
    worst = Math.max(worst, Math.abs(actual[i]! - expected[i]!));
  }
  if (actual.length !== expected.length) return Infinity;
  return scale === 0 ? worst : worst / scale;
}
