import { noGrad, type Tensor } from "./tensor.ts";

/** Plain SGD as a tensor update outside the graph: p ← p - lr · dL/dp. */
export function sgdStep(params: readonly Tensor[], lr: number): void {
  noGrad(() => {
    for (const param of params) if (param.grad !== null) param.addScaledInPlace(param.grad, -lr);
  });
}
