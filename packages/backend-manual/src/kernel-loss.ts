import type { Batch, LossSpec } from "@crossprop/core";
import type { Kernels } from "@crossprop/kernels";
import { createLoss, type LossFunction } from "./loss.ts";
import { reductionFactor } from "./reduction.ts";

/**
 * The loss on the wasm engine: cross-entropy by the kernels' float64 softmax cross-entropy (the
 * formula cross-entropy.ts writes, in WebAssembly), the other losses as the TypeScript engine
 * computes them. The labels are copied into kernel memory, grown to the largest batch seen.
 */
export function createKernelLoss(kernels: Kernels, spec: LossSpec, width: number): { loss: LossFunction; free(): void } {
  if (spec.type !== "cross_entropy") return { loss: createLoss(spec, width), free() {} };
  const reduce = { reduction: spec.reduction, scale: spec.scale ?? 1 };
  let labels: Int32Array | null = null;
  const loss = (outputs: Float32Array, batch: Batch, gradOutputs: Float32Array): number => {
    if (batch.labels === null) throw new Error("loss 'cross_entropy' needs batch.labels, got null");
    if (labels === null || labels.length < batch.size) {
      if (labels) kernels.free(labels);
      labels = kernels.allocInt32(batch.size);
    }
    labels.set(batch.labels.subarray(0, batch.size));
    return kernels.softmaxCrossEntropy(outputs, labels, batch.size, width, reductionFactor(reduce, batch.size), gradOutputs);
  };
  return {
    loss: loss as LossFunction,
    free() {
      if (labels) kernels.free(labels);
      labels = null;
    },
  };
}
