import type { Batch } from "./batch.ts";
import { centralDifference, DEFAULT_STEP } from "./gradcheck.ts";
import { intermediateShapes } from "./intermediates.ts";
import { batchLoss } from "./metrics.ts";
import type { Activation, ModelSpec, NamedTensor, ParamList } from "./model-spec.ts";
import { affine, apply } from "./reference-forward.ts";

/**
 * The float64 reference for Model.intermediates: z and h by a plain forward pass, and every dL/dh
 * and dL/dz by central finite differences of the loss through the layers after it — no backward
 * formula at all, so it blames whichever backend's derivation is wrong. One loss per perturbed
 * element and side: meant for the small batches and widths of tests and exercises.
 */
export function referenceIntermediates(spec: ModelSpec, params: ParamList, batch: Batch, step = DEFAULT_STEP): ParamList {
  const rows = batch.size;
  const weights = params.map((p) => Float64Array.from(p.data));
  const z: Float64Array[] = [];
  const h: Float64Array[] = [];
  let current: Float64Array = Float64Array.from(batch.inputs.subarray(0, rows * spec.inputs));
  spec.layers.forEach((layer, i) => {
    z[i] = affine(current, weights[2 * i]!, weights[2 * i + 1]!, rows, layer.inputs, layer.outputs);
    h[i] = activate(z[i]!, layer.activation);
    current = h[i]!;
  });
  const width = spec.layers.at(-1)!.outputs;
  /** The loss when layer `from`'s activations are `activations` (the layers after it recomputed). */
  const lossAfter = (from: number, activations: Float64Array): number => {
    let values: Float64Array = activations;
    for (let k = from + 1; k < spec.layers.length; k++) {
      const layer = spec.layers[k]!;
      values = activate(affine(values, weights[2 * k]!, weights[2 * k + 1]!, rows, layer.inputs, layer.outputs), layer.activation);
    }
    return batchLoss(values, batch, spec.loss, width);
  };
  const gradient = (x: Float64Array, f: () => number): Float64Array => x.map((_, j) => centralDifference(f, x, j, step));
  return intermediateShapes(spec, rows).map(({ name, kind, shape, layer }): NamedTensor => {
    if (kind === "z" || kind === "h") return { name, shape, data: Float64Array.from(kind === "z" ? z[layer]! : h[layer]!) };
    if (kind === "dh") {
      const x = Float64Array.from(h[layer]!);
      return { name, shape, data: gradient(x, () => lossAfter(layer, x)) };
    }
    const activation = spec.layers[layer]!.activation;
    const x = Float64Array.from(z[layer]!);
    return { name, shape, data: gradient(x, () => lossAfter(layer, activate(x, activation))) };
  });
}

/** act(z) as a new array (the reference's own activations). */
function activate(z: Float64Array, activation: Activation): Float64Array {
  const h = Float64Array.from(z);
  apply(h, activation);
  return h;
}
