import { UserError, type Batch, type LossSpec } from "@crossprop/core";
import { mul } from "./arithmetic.ts";
import { bce, crossEntropy, mse, sigmoidDistance } from "./losses.ts";
import { Tensor } from "./tensor.ts";

/**
 * The loss `spec` names, of a batch's outputs [size, width]: from `batch.labels` (cross_entropy,
 * sigmoid_distance, bce) or `batch.targets` (mse), reduced, then times `spec.scale` (absent = 1).
 */
export function specLoss(outputs: Tensor, batch: Batch, spec: LossSpec): Tensor {
  return mul(unscaledLoss(outputs, batch, spec), spec.scale ?? 1);
}

function unscaledLoss(outputs: Tensor, batch: Batch, spec: LossSpec): Tensor {
  const { type, reduction } = spec;
  if (type === "mse") {
    if (batch.targets === null) throw new UserError("loss mse needs targets, but the batch has none");
    const length = outputs.size;
    if (batch.targets.length < length) throw new UserError(`loss mse needs ${length} targets for this batch, got ${batch.targets.length}`);
    return mse(outputs, Tensor.from(batch.targets.subarray(0, length), outputs.shape, outputs.dtype), reduction);
  }
  if (batch.labels === null) throw new UserError(`loss ${type} needs class labels, but the batch has none`);
  const labels = batch.labels.subarray(0, batch.size);
  switch (type) {
    case "cross_entropy":
      return crossEntropy(outputs, labels, reduction);
    case "sigmoid_distance":
      return sigmoidDistance(outputs, labels, reduction);
    case "bce":
      return bce(outputs, labels, reduction);
  }
}
