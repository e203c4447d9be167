import { UserError, type Batch, type FloatArray, type LossSpec } from "@crossprop/core";
import { crossEntropy } from "./cross-entropy.ts";
import { meanSquaredError } from "./mse.ts";

/** The loss of a batch's outputs [size, width]; adds dL/doutputs into gradOutputs. */
export type LossFunction = (outputs: FloatArray, batch: Batch, gradOutputs: FloatArray) => number;

/** The loss named by `spec` for outputs of `width` columns; UserError for a loss not built yet. */
export function createLoss(spec: LossSpec, width: number): LossFunction {
  const { reduction } = spec;
  if (reduction !== "mean" && reduction !== "sum") {
    throw new UserError(`backend manual does not support loss reduction '${String(reduction)}' (use mean or sum)`);
  }
  switch (spec.type) {
    case "cross_entropy":
      return (outputs, batch, gradOutputs) => {
        if (batch.labels === null) throw new Error("loss 'cross_entropy' needs batch.labels, got null");
        return crossEntropy(outputs, batch.labels, batch.size, width, reduction, gradOutputs);
      };
    case "mse":
      return (outputs, batch, gradOutputs) => {
        if (batch.targets === null) throw new Error("loss 'mse' needs batch.targets, got null");
        return meanSquaredError(outputs, batch.targets, batch.size, width, reduction, gradOutputs);
      };
    default:
      throw new UserError(`backend manual does not support loss '${String(spec.type)}' yet`);
  }
}
