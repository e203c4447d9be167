import { UserError } from "./errors.ts";

/** The network every backend builds: a stack of dense layers, a loss, a dtype. */

export type Activation = "relu" | "tanh" | "sigmoid" | "identity";
export type DType = "float32" | "float64";
export type FloatArray = Float32Array | Float64Array;

/**
 * Losses, per row of outputs z (and of `Batch.labels` y / `Batch.targets` t):
 * - cross_entropy: logsumexp(z) − z[y], from logits with integer labels;
 * - mse: Σ_c (z_c − t_c)², against dense targets (scaled one-hot rows, or regression values);
 * - sigmoid_distance (notebook 004, one output): y = 1 ? 1 − σ(z) : σ(z), with 0/1 labels;
 * - bce (one output): −[y·log σ(z) + (1 − y)·log(1 − σ(z))], computed from the logit z.
 */
export type LossType = "cross_entropy" | "mse" | "sigmoid_distance" | "bce";
export type Reduction = "mean" | "sum";

export interface LossSpec {
  type: LossType;
  /** mean: divided by the batch size (mse: by every element, like torch.nn.MSELoss); sum: summed. */
  reduction: Reduction;
  /** The reduced loss is multiplied by this; absent = 1 (notebook 001's ½·Σ squared errors: sum, 0.5). */
  scale?: number;
}

/** One dense layer: outputs = activation(inputs @ weight + bias), weight is [inputs, outputs]. */
export interface LayerSpec {
  inputs: number;
  outputs: number;
  activation: Activation;
}

export interface ModelSpec {
  inputs: number;
  layers: LayerSpec[];
  loss: LossSpec;
  dtype: DType;
}

export type OptimizerType = "sgd" | "momentum" | "adam" | "adamw";

/**
 * Every field is always present (schema defaults); a backend reads the ones its `type` uses. With
 * g = d(loss)/dp, t = 1, 2, … the number of the step, and lr given to each step:
 * - sgd:      g ← g + weightDecay·p;  p ← p − lr·g                        (torch.optim.SGD)
 * - momentum: g ← g + weightDecay·p;  v ← momentum·v + g (v₀ = 0);  p ← p − lr·v
 * - adam:     g ← g + weightDecay·p;  m ← β1·m + (1−β1)·g;  v ← β2·v + (1−β2)·g²;
 *             p ← p − lr·(m/(1−β1ᵗ)) / (√(v/(1−β2ᵗ)) + ε)              (torch.optim.Adam)
 * - adamw:    p ← p − lr·weightDecay·p, then adam's update without the decay term (torch.optim.AdamW)
 */
export interface OptimizerSpec {
  type: OptimizerType;
  momentum: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  weightDecay: number;
}

/** A named, shaped, row-major array: a parameter, a gradient, a checkpoint entry. */
export interface NamedTensor {
  name: string;
  shape: number[];
  data: FloatArray;
}

/** Parameters in model order: layers.0.weight, layers.0.bias, layers.1.weight, ... */
export type ParamList = NamedTensor[];

export function weightName(layer: number): string {
  return `layers.${layer}.weight`;
}

export function biasName(layer: number): string {
  return `layers.${layer}.bias`;
}

/** The names and shapes of a spec's parameters, in ParamList order. */
export function paramShapes(spec: ModelSpec): { name: string; shape: number[] }[] {
  return spec.layers.flatMap((layer, i) => [
    { name: weightName(i), shape: [layer.inputs, layer.outputs] },
    { name: biasName(i), shape: [layer.outputs] },
  ]);
}

/**
 * Throws a UserError unless `params` are exactly the spec's parameters — names, order, shapes and
 * lengths — so every backend refuses a mismatched checkpoint the same way.
 */
export function checkParamList(spec: ModelSpec, params: ParamList): void {
  const expected = paramShapes(spec);
  if (params.length !== expected.length) {
    throw new UserError(`expected ${expected.length} parameters (${expected.map((p) => p.name).join(", ")}), got ${params.length}`);
  }
  expected.forEach((want, i) => {
    const got = params[i]!;
    const size = want.shape.reduce((a, b) => a * b, 1);
    if (got.name !== want.name || got.shape.join(",") !== want.shape.join(",") || got.data.length !== size) {
      throw new UserError(
        `parameter ${i} should be ${want.name} [${want.shape.join(", ")}], got ${got.name} [${got.shape.join(", ")}] with ${got.data.length} values`,
      );
    }
  });
}

/** Builds the layer stack of an MLP: `hidden` widths with `activation`, then the output layer. */
export function mlpLayers(
  inputs: number,
  hidden: readonly number[],
  outputs: number,
  activation: Activation,
  outputActivation: Activation,
): LayerSpec[] {
  const widths = [inputs, ...hidden, outputs];
  return widths.slice(1).map((width, i) => ({
    inputs: widths[i]!,
    outputs: width,
    activation: i === hidden.length ? outputActivation : activation,
  }));
}

export function allocFloat(dtype: DType, length: number): FloatArray {
  return dtype === "float64" ? new Float64Array(length) : new Float32Array(length);
}
