import { UserError, type Batch, type FloatArray, type LossSpec } from "@crossprop/core";
import { binaryCrossEntropy } from "./binary-cross-entropy.ts";
import { crossEntropy } from "./cross-entropy.ts";
import { meanSquaredError } from "./mse.ts";
import type { LossReduction } from "./reduction.ts";
import { sigmoidDistance } from "./sigmoid-distance.ts";

/** The loss of a batch's outputs [size, width]; adds dL/doutputs into gradOutputs. */
export type LossFunction = (outputs: FloatArray, batch: Batch, gradOutputs: FloatArray) => number;

/** The loss named by `spec` for outputs of `width` columns; UserError for a spec it cannot compute. */
export function createLoss(spec: LossSpec, width: number): LossFunction {
  const { type, reduction, scale = 1 } = spec;
  if (reduction !== "mean" && reduction !== "sum") {
    throw new UserError(`backend manual does not support loss reduction '${String(reduction)}' (use mean or sum)`);
  }
  if (typeof scale !== "number" || !Number.isFinite(scale)) {
    throw new UserError(`loss scale must be a finite number, got ${String(scale)}`);
  }
  // Built once here, so no step allocates it.
  const reduce: LossReduction = { reduction, scale };
  switch (type) {
    case "cross_entropy":
      return (outputs, batch, gradOutputs) => {
        if (batch.labels === null) throw new Error("loss 'cross_entropy' needs batch.labels, got null");
        return crossEntropy(outputs, batch.labels, batch.size, width, reduce, gradOutputs);
      };
    case "mse":
      return (outputs, batch, gradOutputs) => {
        if (batch.targets === null) throw new Error("loss 'mse' needs batch.targets, got null");
        return meanSquaredError(outputs, batch.targets, batch.size, width, reduce, gradOutputs);
      };
    case "sigmoid_distance":
    case "bce": {
      // Both read one logit per row: a wider last layer would silently ignore its other columns.
      if (width !== 1) {
        throw new UserError(`loss '${type}' needs a last layer of exactly 1 output (one logit per row), got ${width} outputs`);
      }
      const binaryLoss = type === "bce" ? binaryCrossEntropy : sigmoidDistance;
      return (outputs, batch, gradOutputs) => {
        if (batch.labels === null) throw new Error(`loss '${type}' needs batch.labels (0 or 1 per row), got null`);
        return binaryLoss(outputs, batch.labels, batch.size, reduce, gradOutputs);
      };
    }
    default:
      throw new UserError(`backend manual does not support loss '${String(type)}'`);
  }
}
