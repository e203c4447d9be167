import type { FloatArray } from "@crossprop/core";

/** Updates parameters in place from their gradients (same order and lengths as at creation). */
export interface Optimizer {
  step(params: readonly FloatArray[], gradients: readonly FloatArray[], lr: number): void;
}
