import type { FloatArray } from "@crossprop/core";

/** Updates parameters in place from their gradients (same order and lengths as at creation). */
export interface Optimizer {
  step(params: readonly FloatArray[], gradients: readonly FloatArray[], lr: number): void;
  /** Its live state arrays, in core's optimizerStateShapes order (a checkpoint copies them). */
  state(): FloatArray[];
  /** Overwrites the state from arrays in that order, already checked against the shapes. */
  restore(state: readonly FloatArray[]): void;
}
