import { allocFloat, biasName, weightName, type DType, type LayerSpec, type ModelSpec, type ParamList } from "./model-spec.ts";
import { Rng } from "./rng.ts";

export type InitType = "normal" | "uniform" | "kaiming" | "xavier" | "zeros";

/**
 * How one kind of parameter (all weights, or all biases) is drawn.
 * normal: N(0, std²); uniform: U(-limit, limit);
 * kaiming: std = gain·√(1/fan_in), gain √2 by default (He et al. 2015);
 * xavier: std = gain·√(2/(fan_in+fan_out)), gain 1 by default (Glorot & Bengio 2010);
 * kaiming/xavier with distribution "uniform" use the bound √3·std, which has the same variance.
 */
export interface InitSpec {
  type: InitType;
  std: number;
  limit: number;
  gain: number | null;
  distribution: "normal" | "uniform";
}

export interface ModelInit {
  weights: InitSpec;
  biases: InitSpec;
}

/**
 * Draws every parameter of `spec` from the "init" stream of `seed`, in ParamList order
 * (weight then bias, layer by layer; each array row-major). Done once, in core, for every backend.
 */
export function initParams(spec: ModelSpec, init: ModelInit, seed: number, dtype: DType = spec.dtype): ParamList {
  const rng = new Rng(seed, "init");
  return spec.layers.flatMap((layer, i) => [
    { name: weightName(i), shape: [layer.inputs, layer.outputs], data: draw(rng, init.weights, layer, layer.inputs * layer.outputs, dtype) },
    { name: biasName(i), shape: [layer.outputs], data: draw(rng, init.biases, layer, layer.outputs, dtype) },
  ]);
}

function draw(rng: Rng, init: InitSpec, layer: LayerSpec, length: number, dtype: DType) {
  const data = allocFloat(dtype, length);
  if (init.type === "zeros") return data;
  if (init.type === "uniform") {
    for (let i = 0; i < length; i++) data[i] = (2 * rng.uniform() - 1) * init.limit;
    return data;
  }
  const std = standardDeviation(init, layer);
  if (init.type !== "normal" && init.distribution === "uniform") {
    const bound = Math.sqrt(3) * std;
    for (let i = 0; i < length; i++) data[i] = (2 * rng.uniform() - 1) * bound;
  } else {
    for (let i = 0; i < length; i++) data[i] = rng.normal() * std;
  }
  return data;
}

/** The standard deviation a normal/kaiming/xavier init aims for on this layer. */
export function standardDeviation(init: InitSpec, layer: LayerSpec): number {
  switch (init.type) {
    case "normal":
      return init.std;
    case "kaiming":
      return (init.gain ?? Math.SQRT2) * Math.sqrt(1 / layer.inputs);
    case "xavier":
      return (init.gain ?? 1) * Math.sqrt(2 / (layer.inputs + layer.outputs));
    case "uniform":
      return init.limit / Math.sqrt(3);
    case "zeros":
      return 0;
  }
}
