import { allocFloat, intermediateShapes, type FloatArray, type ModelSpec, type ParamList } from "@crossprop/core";

/** The buffers a forward and backward pass leaves behind, per layer (both engines' workspaces have them). */
export interface PassBuffers {
  readonly preactivations: readonly FloatArray[];
  readonly activations: readonly FloatArray[];
  readonly gradActivations: readonly FloatArray[];
  readonly gradPreactivations: readonly FloatArray[];
}

/**
 * Copies of what the last pass over `rows` rows computed, as core's intermediateShapes names them:
 * z and h from the forward pass; dL/dh (the buffer the next layer's backward wrote, or the loss's
 * for the output layer) and dL/dz (this layer's activation backward) from the backward pass.
 */
export function passIntermediates(spec: ModelSpec, rows: number, buffers: PassBuffers): ParamList {
  return intermediateShapes(spec, rows).map(({ name, kind, shape, layer }) => {
    const source = kind === "dz" ? buffers.gradPreactivations : kind === "dh" ? buffers.gradActivations : kind === "z" ? buffers.preactivations : buffers.activations;
    const data = allocFloat(spec.dtype, shape[0] * shape[1]);
    data.set(source[layer]!.subarray(0, data.length));
    return { name, shape: [...shape], data };
  });
}
