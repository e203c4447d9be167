import { centralDifference, type Activation, type Batch, type ModelSpec, type ParamList } from "@crossprop/core";

/**
 * Test-only: the same network in plain float64 JavaScript, written from the ModelSpec's definition
 * (outputs = act(inputs · weight + bias), then the loss), to check tfjs's float32 results and to take
 * central finite differences that are exact to ~1e-10.
 */
export function referenceForward(spec: ModelSpec, params: ParamList, inputs: ArrayLike<number>, count: number): Float64Array {
  let values = Float64Array.from({ length: count * spec.inputs }, (_, i) => inputs[i]!);
  spec.layers.forEach((layer, l) => {
    const weight = params[2 * l]!.data;
    const bias = params[2 * l + 1]!.data;
    const next = new Float64Array(count * layer.outputs);
    for (let row = 0; row < count; row++) {
      for (let out = 0; out < layer.outputs; out++) {
        let z = bias[out]!;
        for (let k = 0; k < layer.inputs; k++) z += values[row * layer.inputs + k]! * weight[k * layer.outputs + out]!;
        next[row * layer.outputs + out] = activate(z, layer.activation);
      }
    }
    values = next;
  });
  return values;
}

function activate(z: number, activation: Activation): number {
  switch (activation) {
    case "relu":
      return z > 0 ? z : 0;
    case "tanh":
      return Math.tanh(z);
    case "sigmoid":
      return 1 / (1 + Math.exp(-z));
    case "identity":
      return z;
  }
}

/**
 * The batch loss in float64, from the formulas of core's LossType as written: cross_entropy via a
 * max-shifted log-sum-exp, mse against the targets, sigmoid_distance and bce from σ(z) of the one
 * output (no stable rearrangement: float64 keeps enough digits for these logits); times loss.scale.
 */
export function referenceLoss(spec: ModelSpec, params: ParamList, batch: Batch): number {
  return reducedLoss(spec, params, batch) * (spec.loss.scale ?? 1);
}

function reducedLoss(spec: ModelSpec, params: ParamList, batch: Batch): number {
  const outputs = referenceForward(spec, params, batch.inputs, batch.size);
  const width = spec.layers[spec.layers.length - 1]!.outputs;
  const rowsOrElements = (total: number, count: number) => (spec.loss.reduction === "mean" ? total / count : total);
  let total = 0;
  switch (spec.loss.type) {
    case "cross_entropy":
      for (let row = 0; row < batch.size; row++) {
        const logits = outputs.subarray(row * width, (row + 1) * width);
        const max = Math.max(...logits);
        let sumExp = 0;
        for (const z of logits) sumExp += Math.exp(z - max);
        total += max + Math.log(sumExp) - logits[batch.labels![row]!]!;
      }
      return rowsOrElements(total, batch.size);
    case "mse":
      for (let i = 0; i < outputs.length; i++) total += (outputs[i]! - batch.targets![i]!) ** 2;
      return rowsOrElements(total, outputs.length);
    case "sigmoid_distance":
      for (let row = 0; row < batch.size; row++) {
        const sigma = 1 / (1 + Math.exp(-outputs[row]!));
        total += batch.labels![row] === 1 ? 1 - sigma : sigma;
      }
      return rowsOrElements(total, batch.size);
    case "bce":
      for (let row = 0; row < batch.size; row++) {
        const sigma = 1 / (1 + Math.exp(-outputs[row]!));
        const y = batch.labels![row]!;
        total -= y * Math.log(sigma) + (1 - y) * Math.log(1 - sigma);
      }
      return rowsOrElements(total, batch.size);
  }
}

/** d(loss)/d(every parameter) by core's float64 central differences over this float64 forward. */
export function finiteDifferenceGradients(spec: ModelSpec, params: ParamList, batch: Batch): Float64Array[] {
  const probe = params.map((p) => ({ ...p, data: Float64Array.from(p.data) }));
  const loss = () => referenceLoss(spec, probe, batch);
  return probe.map((param) => {
    const gradient = new Float64Array(param.data.length);
    for (let i = 0; i < gradient.length; i++) gradient[i] = centralDifference(loss, param.data as Float64Array, i);
    return gradient;
  });
}
