import type { FloatArray } from "@crossprop/core";
import { reductionFactor, type LossReduction } from "./reduction.ts";

/**
 * Squared error of outputs [rows, width] against targets [rows, width], any width (one-hot rows,
 * or regression values): L = factor · Σ (y - t)², factor = scale/(rows·width) for "mean" (like
 * torch.nn.MSELoss), scale for "sum". Adds dL/dy = 2·factor·(y - t) into gradOutputs.
 */
export function meanSquaredError(
  outputs: FloatArray,
  targets: FloatArray,
  rows: number,
  width: number,
  reduction: LossReduction,
  gradOutputs: FloatArray,
): number {
  const length = rows * width;
  if (targets.length < length) throw new RangeError(`mse targets hold ${targets.length} values, ${rows} rows of ${width} need ${length}`);
  const factor = reductionFactor(reduction, length);
  const gradScale = 2 * factor;
  let total = 0;
  for (let j = 0; j < length; j++) {
    const difference = outputs[j]! - targets[j]!;
    total += difference * difference;
    gradOutputs[j] += gradScale * difference;
  }
  return total * factor;
}
