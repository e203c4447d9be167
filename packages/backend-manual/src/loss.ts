import type { Batch, FloatArray, LossSpec } from "@crossprop/core";
import { binaryCrossEntropy } from "./binary-cross-entropy.ts";
import { crossEntropy } from "./cross-entropy.ts";
import { meanSquaredError } from "./mse.ts";
import type { LossReduction } from "./reduction.ts";
import { sigmoidDistance } from "./sigmoid-distance.ts";

/** The loss of a batch's outputs [size, width]; adds dL/doutputs into gradOutputs. */
export type LossFunction = (outputs: FloatArray, batch: Batch, gradOutputs: FloatArray) => number;

/**
 * The loss named by `spec` for outputs of `width` columns. The spec has passed core's checkSpec:
 * its reduction is mean or sum, its scale finite and > 0, and a binary loss has width 1.
 */
export function createLoss(spec: LossSpec, width: number): LossFunction {
  const { type, reduction, scale = 1 } = spec;
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
      const binaryLoss = type === "bce" ? binaryCrossEntropy : sigmoidDistance;
      return (outputs, batch, gradOutputs) => {
        if (batch.labels === null) throw new Error(`loss '${type}' needs batch.labels (0 or 1 per row), got null`);
        return binaryLoss(outputs, batch.labels, batch.size, reduce, gradOutputs);
      };
    }
    default:
      // Unreachable for a checked spec: core refuses a loss outside `supports`.
      throw new Error(`unknown loss '${String(type)}'`);
  }
}
