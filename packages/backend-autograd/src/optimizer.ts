/**
 * Updates parameters in place from their gradients (`param.grad`), outside the graph, as the
 * OptimizerSpec doc comment defines each rule (torch.optim). State is allocated once, at creation.
 */
export interface Optimizer {
  /** One update at learning rate `lr`; parameters without a gradient are left alone (as torch). */
  step(lr: number): void;
}
