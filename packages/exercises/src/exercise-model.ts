import {
  allocFloat,
  intermediateShapes,
  paramShapes,
  type Batch,
  type FloatArray,
  type LossAndGradients,
  type Model,
  type ModelSpec,
  type OptimizerSpec,
  type ParamList,
} from "@crossprop/core";
import type { Formulas } from "./formulas.ts";

/** What a forward and backward pass of one batch computed, per layer, in float64. */
interface Pass {
  rows: number;
  inputs: FloatArray;
  z: Float64Array[];
  h: Float64Array[];
  dh: Float64Array[];
  dz: Float64Array[];
}

/**
 * A plain hand-written MLP whose backward pass and update take every formula from `formulas` — the
 * correct ones, or an exercise's with one mistake. Float64 arithmetic, parameters stored in the
 * spec's dtype. Written for clarity, not speed: exercises run a few steps of `check`.
 */
export class ExerciseModel implements Model {
  readonly engine = "typescript";
  private readonly params: FloatArray[];
  private readonly gradients: FloatArray[];
  /** Per parameter: the optimizer's slots (velocity; or m then v), in float64. */
  private readonly state: Float64Array[];
  private steps = 0;

  constructor(
    private readonly spec: ModelSpec,
    initial: ParamList,
    private readonly optimizer: OptimizerSpec,
    private readonly formulas: Formulas,
  ) {
    const slots = optimizer.type === "sgd" ? 0 : optimizer.type === "momentum" ? 1 : 2;
    this.params = initial.map((p) => allocFloat(spec.dtype, p.data.length));
    this.gradients = initial.map((p) => allocFloat(spec.dtype, p.data.length));
    this.state = initial.map((p) => new Float64Array(slots * p.data.length));
    initial.forEach((p, i) => this.params[i]!.set(p.data));
  }

  async lossAndGradients(batch: Batch): Promise<LossAndGradients> {
    const loss = this.backward(batch).loss;
    return { loss, gradients: this.copy(this.gradients) };
  }

  async trainStep(batch: Batch, lr: number): Promise<number> {
    const { loss } = this.backward(batch);
    const t = ++this.steps;
    const { type, momentum, beta1, beta2, epsilon, weightDecay } = this.optimizer;
    this.params.forEach((param, k) => {
      const context = { lr, t, momentum, beta1, beta2, epsilon, weightDecay, isBias: k % 2 === 1, stride: param.length };
      for (let j = 0; j < param.length; j++) param[j] = this.formulas.update(type, param[j]!, this.gradients[k]![j]!, this.state[k]!, j, context);
    });
    return loss;
  }

  async predict(inputs: FloatArray, count: number): Promise<FloatArray> {
    const outputs = this.forward(inputs, count).h.at(-1)!;
    const result = allocFloat(this.spec.dtype, outputs.length);
    result.set(outputs);
    return result;
  }

  async getParams(): Promise<ParamList> {
    return this.copy(this.params);
  }

  async setParams(params: ParamList): Promise<void> {
    params.forEach((p, i) => this.params[i]!.set(p.data));
  }

  async intermediates(batch: Batch): Promise<ParamList> {
    const { pass } = this.backward(batch);
    return intermediateShapes(this.spec, batch.size).map(({ name, kind, shape, layer }) => {
      const source = kind === "z" ? pass.z : kind === "h" ? pass.h : kind === "dh" ? pass.dh : pass.dz;
      const data = allocFloat(this.spec.dtype, shape[0] * shape[1]);
      data.set(source[layer]!);
      return { name, shape: [...shape], data };
    });
  }

  dispose(): void {}

  private forward(inputs: FloatArray, rows: number): Pass {
    const pass: Pass = { rows, inputs, z: [], h: [], dh: [], dz: [] };
    let x: ArrayLike<number> = inputs;
    this.spec.layers.forEach((layer, l) => {
      const weight = this.params[2 * l]!;
      const bias = this.params[2 * l + 1]!;
      const z = new Float64Array(rows * layer.outputs);
      for (let r = 0; r < rows; r++) {
        for (let o = 0; o < layer.outputs; o++) {
          let sum = bias[o]!;
          for (let i = 0; i < layer.inputs; i++) sum += x[r * layer.inputs + i]! * weight[i * layer.outputs + o]!;
          z[r * layer.outputs + o] = sum;
        }
      }
      pass.z[l] = z;
      pass.h[l] = z.map((v) => activate(layer.activation, v));
      pass.dh[l] = new Float64Array(z.length);
      pass.dz[l] = new Float64Array(z.length);
      x = pass.h[l]!;
    });
    return pass;
  }

  /** Forward, the loss, then backward into every layer's dh, dz and the parameter gradients. */
  private backward(batch: Batch): { loss: number; pass: Pass } {
    const { formulas, spec } = this;
    const rows = batch.size;
    const pass = this.forward(batch.inputs, rows);
    const last = spec.layers.length - 1;
    const width = spec.layers[last]!.outputs;
    const { type, reduction, scale } = spec.loss;
    const s = (scale ?? 1) / (reduction === "sum" ? 1 : type === "mse" ? rows * width : rows);
    const out = new Float64Array(width);
    for (let r = 0; r < rows; r++) {
      formulas.lossGradient(type, pass.h[last]!.subarray(r * width, (r + 1) * width), r, batch, s, out);
      pass.dh[last]!.set(out, r * width);
    }
    for (const gradient of this.gradients) gradient.fill(0);
    for (let l = last; l >= 0; l--) {
      if (l < last && !formulas.throughHiddenLayers) break;
      const layer = spec.layers[l]!;
      const { z, h, dh, dz } = { z: pass.z[l]!, h: pass.h[l]!, dh: pass.dh[l]!, dz: pass.dz[l]! };
      for (let j = 0; j < z.length; j++) dz[j] = formulas.activationBackward(layer.activation, z[j]!, h[j]!, dh[j]!);
      const x = l === 0 ? pass.inputs : pass.h[l - 1]!;
      const weight = this.params[2 * l]!;
      const dWeight = new Float64Array(weight.length);
      const dBias = new Float64Array(layer.outputs);
      for (let r = 0; r < rows; r++) {
        for (let o = 0; o < layer.outputs; o++) {
          const g = dz[r * layer.outputs + o]!;
          dBias[o] += g;
          for (let i = 0; i < layer.inputs; i++) dWeight[i * layer.outputs + o] += x[r * layer.inputs + i]! * g;
        }
      }
      this.gradients[2 * l]!.set(dWeight);
      this.gradients[2 * l + 1]!.set(dBias);
      if (l === 0) continue;
      const below = pass.dh[l - 1]!;
      for (let r = 0; r < rows; r++) {
        for (let i = 0; i < layer.inputs; i++) {
          let sum = 0;
          for (let o = 0; o < layer.outputs; o++) sum += dz[r * layer.outputs + o]! * weight[i * layer.outputs + o]!;
          below[r * layer.inputs + i] = sum;
        }
      }
    }
    return { loss: lossValue(spec, pass.h[last]!, batch, s), pass };
  }

  private copy(arrays: FloatArray[]): ParamList {
    return paramShapes(this.spec).map(({ name, shape }, i) => ({ name, shape, data: arrays[i]!.slice() }));
  }
}

function activate(activation: ModelSpec["layers"][number]["activation"], z: number): number {
  if (activation === "relu") return z > 0 ? z : 0;
  if (activation === "tanh") return Math.tanh(z);
  if (activation === "sigmoid") return 1 / (1 + Math.exp(-z));
  return z;
}

/** The batch loss (core's LossType formulas) of outputs `h`, each term times `s`. */
function lossValue(spec: ModelSpec, h: Float64Array, batch: Batch, s: number): number {
  const width = spec.layers.at(-1)!.outputs;
  let total = 0;
  for (let r = 0; r < batch.size; r++) {
    const row = h.subarray(r * width, (r + 1) * width);
    if (spec.loss.type === "cross_entropy") {
      const max = Math.max(...row);
      total += max + Math.log(row.reduce((sum, v) => sum + Math.exp(v - max), 0)) - row[batch.labels![r]!]!;
    } else if (spec.loss.type === "mse") {
      for (let c = 0; c < width; c++) total += (row[c]! - batch.targets![r * width + c]!) ** 2;
    } else {
      const z = row[0]!;
      const y = batch.targets ? batch.targets[r]! : batch.labels![r]!;
      const p = 1 / (1 + Math.exp(-z));
      total += spec.loss.type === "sigmoid_distance" ? (y === 1 ? 1 - p : p) : Math.max(z, 0) - z * y + Math.log1p(Math.exp(-Math.abs(z)));
    }
  }
  return total * s;
}
