import type { FloatArray, Reduction } from "@crossprop/core";

/**
 * Squared error of outputs [rows, width] against targets [rows, width]: L = Σ (y - t)² ("sum")
 * or that divided by rows·width ("mean", like torch.nn.MSELoss). Adds dL/dy = 2·scale·(y - t)
 * into gradOutputs (scale 1/(rows·width) for "mean", else 1).
 */
export function meanSquaredError(
  outputs: FloatArray,
  targets: FloatArray,
  rows: number,
  width: number,
  reduction: Reduction,
  gradOutputs: FloatArray,
): number {
  const length = rows * width;
  const scale = reduction === "mean" ? 1 / length : 1;
  const gradScale = 2 * scale;
  let total = 0;
  for (let j = 0; j < length; j++) {
    const difference = outputs[j]! - targets[j]!;
    total += difference * difference;
    gradOutputs[j] += gradScale * difference;
  }
  return total * scale;
}
