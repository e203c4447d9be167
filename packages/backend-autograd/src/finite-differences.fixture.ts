import { allIndices, checkGradient, Rng } from "@crossprop/core";
import { mul } from "./arithmetic.ts";
import { sum } from "./reduce.ts";
import { noGrad, Tensor } from "./tensor.ts";

/** Step of the central differences: rounding O(eps·|f|/h) and truncation O(h²) both small at 1e-6. */
export const STEP = 1e-6;

/**
 * Tolerance of every gradient check in this package: 1e-6 relative, floor 1e-2. At h = 1e-6 in
 * float64 the numeric gradient is off by about eps·|f|/h + h²·|f‴|/6 ≈ 2e-10·|f|; against the
 * floor that is 2e-8·|f|, and |f| ≲ 20 in these tests. Right gradients land at ≤ 3e-7 (the worst
 * seen: 2.8e-7, in a matmul check); a wrong one (a missing factor, a transposition) near 1.
 */
export const GRADIENT_TOLERANCE = 1e-6;

/**
 * The largest relative error, over every element of every input, between the gradient backward()
 * gives for `build(...inputs)` and central differences (f(x+h) - f(x-h)) / 2h, all in float64.
 * A tensor output is first reduced to L = Σ out ⊙ w with fixed random weights w, so a wrong gradient
 * for any single output element shows up (a plain Σ would hide, say, a transposed gradient).
 * `floor` is the smallest denominator: near-zero gradients are compared absolutely.
 */
export function gradientError(build: (...inputs: Tensor[]) => Tensor, inputs: Tensor[], floor = 1e-2, seed = 1): number {
  if (inputs.some((input) => input.dtype !== "float64")) throw new Error("gradient checks run in float64");
  const probe = noGrad(() => build(...inputs));
  const rng = new Rng(seed, "gradient-check");
  const weights = Tensor.from(Array.from({ length: probe.size }, () => rng.normal()), probe.shape, "float64");
  const scalar = () => sum(mul(build(...inputs), weights));
  for (const input of inputs) input.zeroGrad();
  scalar().backward();
  let worst = 0;
  for (const input of inputs) {
    const analytic = input.grad ?? new Float64Array(input.size);
    const f = () => noGrad(() => scalar().item());
    const check = checkGradient(f, input.data as Float64Array, analytic, allIndices(input.size), { step: STEP, floor });
    worst = Math.max(worst, check.maxRelativeError);
  }
  return worst;
}

/** A float64 tensor of normal draws that requires grad, kept at least `margin` away from 0 (kinks). */
export function randomTensor(rng: Rng, shape: readonly number[], margin = 0): Tensor {
  const size = shape.reduce((product, extent) => product * extent, 1);
  const values = Array.from({ length: size }, () => {
    const value = rng.normal();
    return Math.sign(value) * (margin + Math.abs(value));
  });
  return Tensor.from(values, shape, "float64", true);
}

/** Distinct values (a shuffled grid 0.1 apart, plus small noise): no ties for max to break. */
export function distinctTensor(rng: Rng, shape: readonly number[]): Tensor {
  const size = shape.reduce((product, extent) => product * extent, 1);
  const order = rng.permutation(size);
  return Tensor.from(Array.from(order, (rank) => 0.1 * (rank - size / 2) + 0.01 * rng.uniform()), shape, "float64", true);
}
