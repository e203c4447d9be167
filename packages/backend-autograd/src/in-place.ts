import type { FloatArray } from "@crossprop/core";
import type { Tensor } from "./tensor.ts";

/*
 * Whole-tensor updates in place, outside the graph: what the optimizers are written in (torch's
 * mul_/add_, addcmul_, sqrt_, addcdiv_). Each is one pass that computes in float64 and rounds once to
 * the target's dtype; an operand may be the target's own values. Like Tensor.addScaledInPlace, a
 * gradient-tracked target (a parameter) is only written under noGrad.
 */

function writable(target: Tensor, operands: readonly FloatArray[]): FloatArray {
  const values = target.writableData();
  for (const operand of operands) {
    if (operand.length !== values.length) throw new Error(`in-place update: ${operand.length} values for ${values.length} elements`);
  }
  return values;
}

/** target ← a·x + b·y (momentum's v ← μ·v + g, Adam's m ← β1·m + (1 - β1)·g, g + weightDecay·p). */
export function assignLinear(target: Tensor, a: number, x: FloatArray, b: number, y: FloatArray): void {
  const out = writable(target, [x, y]);
  for (let i = 0; i < out.length; i++) out[i] = a * x[i]! + b * y[i]!;
}

/** target ← a·x + b·y² (Adam's v ← β2·v + (1 - β2)·g²). */
export function assignLinearSquare(target: Tensor, a: number, x: FloatArray, b: number, y: FloatArray): void {
  const out = writable(target, [x, y]);
  for (let i = 0; i < out.length; i++) out[i] = a * x[i]! + b * y[i]! * y[i]!;
}

/** target ← √(x / divisor) + epsilon (Adam's denominator √(v / (1 - β2ᵗ)) + ε). */
export function assignRoot(target: Tensor, x: FloatArray, divisor: number, epsilon: number): void {
  const out = writable(target, [x]);
  for (let i = 0; i < out.length; i++) out[i] = Math.sqrt(x[i]! / divisor) + epsilon;
}

/** target ← target + scale · x / y (torch's addcdiv_). */
export function addRatio(target: Tensor, scale: number, x: FloatArray, y: FloatArray): void {
  const out = writable(target, [x, y]);
  for (let i = 0; i < out.length; i++) out[i] = out[i]! + (scale * x[i]!) / y[i]!;
}
