import type { Activation, FloatArray } from "@crossprop/core";

/** activations[j] = f(preactivations[j]) for j < length. */
export function activationForward(kind: Activation, preactivations: FloatArray, activations: FloatArray, length: number): void {
  switch (kind) {
    case "relu":
      for (let j = 0; j < length; j++) {
        const z = preactivations[j]!;
        activations[j] = z > 0 ? z : 0;
      }
      return;
    case "tanh":
      for (let j = 0; j < length; j++) activations[j] = Math.tanh(preactivations[j]!);
      return;
    case "sigmoid":
      // exp(-z) overflows to Infinity for z < -709, giving exactly 0: no NaN.
      for (let j = 0; j < length; j++) activations[j] = 1 / (1 + Math.exp(-preactivations[j]!));
      return;
    case "identity":
      for (let j = 0; j < length; j++) activations[j] = preactivations[j]!;
      return;
    default:
      throw new Error(`unknown activation '${String(kind)}'`);
  }
}

/**
 * Adds dL/dz = dL/da · f'(z) into gradPreactivations: relu' = [z > 0] (0 at the kink, like torch),
 * tanh' = 1 - tanh(z)², sigmoid' = σ(z)·(1 - σ(z)). tanh and σ are recomputed from z in float64:
 * from a float32 output near ±1, 1 - a² would keep few correct digits.
 */
export function activationBackward(
  kind: Activation,
  preactivations: FloatArray,
  gradActivations: FloatArray,
  gradPreactivations: FloatArray,
  length: number,
): void {
  switch (kind) {
    case "relu":
      for (let j = 0; j < length; j++) {
        if (preactivations[j]! > 0) gradPreactivations[j] += gradActivations[j]!;
      }
      return;
    case "tanh":
      for (let j = 0; j < length; j++) {
        const a = Math.tanh(preactivations[j]!);
        gradPreactivations[j] += gradActivations[j]! * (1 - a * a);
      }
      return;
    case "sigmoid":
      for (let j = 0; j < length; j++) {
        const a = 1 / (1 + Math.exp(-preactivations[j]!));
        gradPreactivations[j] += gradActivations[j]! * a * (1 - a);
      }
      return;
    case "identity":
      for (let j = 0; j < length; j++) gradPreactivations[j] += gradActivations[j]!;
      return;
    default:
      throw new Error(`unknown activation '${String(kind)}'`);
  }
}
