import type { FloatArray } from "@crossprop/core";

/**
 * Updates parameters in place from their gradients (`param.grad`), outside the graph, as the
 * OptimizerSpec doc comment defines each rule (torch.optim). State is allocated once, at creation.
 */
export interface Optimizer {
  /** One update at learning rate `lr`; parameters without a gradient are left alone (as torch). */
  step(lr: number): void;
  /** Its live state arrays, in core's optimizerStateShapes order (a checkpoint copies them). */
  state(): FloatArray[];
  /** Overwrites the state from arrays in that order, already checked against the shapes. */
  restore(state: readonly FloatArray[]): void;
}
