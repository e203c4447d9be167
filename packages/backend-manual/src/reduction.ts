import type { LossSpec } from "@crossprop/core";

/** How a loss turns its per-element terms into the batch loss: the reduction and the optional scale. */
export type LossReduction = Pick<LossSpec, "reduction" | "scale">;

/**
 * The factor on Σ of the per-element terms, and so on their gradients: scale/count for "mean",
 * scale for "sum" (scale absent = 1). `count` is what "mean" divides by: rows, or elements for mse.
 */
export function reductionFactor({ reduction, scale = 1 }: LossReduction, count: number): number {
  return (reduction === "mean" ? 1 / count : 1) * scale;
}
