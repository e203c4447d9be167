import type { ModelSpec } from "./model-spec.ts";

/**
 * The per-layer tensors of one batch's forward and backward pass, named as notebook 002's cmp()
 * walks them, so a check can say *where* a derivation first goes wrong. Layer i computes
 * z = h_{i-1} · W + b and h = act(z) (h_{-1} = the inputs); the backward pass produces
 * dL/dh and dL/dz per layer. The output layer's z are the logits, so its dL/dz is `dlogits`; its
 * dL/dh is listed only when its activation is not the identity (otherwise it equals dlogits).
 */
export interface IntermediateShape {
  name: string;
  /** What it is of its layer: z, h = act(z), dL/dh or dL/dz (dlogits is the output layer's dz). */
  kind: "z" | "h" | "dh" | "dz";
  /** [rows, units]. */
  shape: [number, number];
  pass: "forward" | "backward";
  layer: number;
}

const DLOGITS = "dlogits";

/**
 * Every intermediate of a batch of `rows` rows: the forward pass's in the order it computes them
 * (layers.0.z, layers.0.h, …), then the backward pass's in the order backprop computes them
 * (dlogits, layers.{L-1}.dh, layers.{L-1}.dz, …, layers.0.dz). Model.intermediates returns exactly these.
 */
export function intermediateShapes(spec: ModelSpec, rows: number): IntermediateShape[] {
  const last = spec.layers.length - 1;
  const forward = spec.layers.flatMap((layer, i): IntermediateShape[] => [
    { name: `layers.${i}.z`, kind: "z", shape: [rows, layer.outputs], pass: "forward", layer: i },
    { name: `layers.${i}.h`, kind: "h", shape: [rows, layer.outputs], pass: "forward", layer: i },
  ]);
  const backward: IntermediateShape[] = [];
  for (let i = last; i >= 0; i--) {
    const units = spec.layers[i]!.outputs;
    if (i < last || spec.layers[i]!.activation !== "identity") backward.push({ name: `layers.${i}.dh`, kind: "dh", shape: [rows, units], pass: "backward", layer: i });
    backward.push({ name: i === last ? DLOGITS : `layers.${i}.dz`, kind: "dz", shape: [rows, units], pass: "backward", layer: i });
  }
  return [...forward, ...backward];
}
