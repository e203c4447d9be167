/**
 * My backprop: a crossprop backend whose backward pass you write by hand.
 *
 * The forward pass, the loss, the SGD step and the bookkeeping are written for you; fill in
 * `backward()` below (between the two marked lines), then let crossprop grade it against its own
 * three backends, tensor by tensor in the order backprop computes them (from crossprop's folder):
 *
 *   npx -y pnpm@10.34.9 crossprop check configs/mlp.yaml --backends ./my-backprop.ts
 *
 * A layer computes z = x · W + b and h = act(z) (x: the layer's inputs, [rows, inputs]; W:
 * [inputs, outputs], row-major, as crossprop stores weights). check names the first tensor that
 * leaves tolerance — dlogits, then layers.<i>.dh and layers.<i>.dz from the last layer down, then
 * the parameter gradients layers.<i>.weight and layers.<i>.bias — and, when its three backends agree
 * among themselves and not with yours, says yours is the one that is wrong.
 *
 * This file needs nothing from crossprop at run time: its only import is of types, erased when it
 * loads, so it can live anywhere. Tutorial: docs/your-backprop.md.
 */
import type { Backend, Batch, FloatArray, LossAndGradients, Model, ModelSpec, OptimizerSpec, ParamList } from "@crossprop/core";

type Activation = ModelSpec["layers"][number]["activation"];

/** One dense layer's parameters and their gradients. */
interface Layer {
  inputs: number;
  outputs: number;
  activation: Activation;
  weight: FloatArray;
  bias: FloatArray;
  dWeight: FloatArray;
  dBias: FloatArray;
}

/** What one batch's forward pass leaves for the backward pass: per layer z and h, and room for dz and dh. */
interface Pass {
  rows: number;
  inputs: FloatArray;
  z: Float64Array[];
  h: Float64Array[];
  dz: Float64Array[];
  dh: Float64Array[];
}

class MyModel implements Model {
  readonly engine = "typescript";
  private readonly layers: Layer[];

  constructor(
    private readonly spec: ModelSpec,
    initial: ParamList,
    /** SGD's weight decay λ (torch's: added to the gradient). */
    private readonly weightDecay: number,
  ) {
    const alloc = (n: number): FloatArray => (spec.dtype === "float32" ? new Float32Array(n) : new Float64Array(n));
    this.layers = spec.layers.map((layer) => ({
      ...layer,
      weight: alloc(layer.inputs * layer.outputs),
      bias: alloc(layer.outputs),
      dWeight: alloc(layer.inputs * layer.outputs),
      dBias: alloc(layer.outputs),
    }));
    void this.setParams(initial);
  }

  async lossAndGradients(batch: Batch): Promise<LossAndGradients> {
    const pass = this.forward(batch.inputs, batch.size);
    const loss = this.loss(pass, batch);
    this.backward(pass, batch);
    return { loss, gradients: this.tensors((layer) => [layer.dWeight, layer.dBias]) };
  }

  /** SGD, as torch.optim.SGD: p ← p − lr · (dL/dp + λ·p). */
  async trainStep(batch: Batch, lr: number): Promise<number> {
    const pass = this.forward(batch.inputs, batch.size);
    const loss = this.loss(pass, batch);
    this.backward(pass, batch);
    for (const layer of this.layers) {
      for (let i = 0; i < layer.weight.length; i++) layer.weight[i] -= lr * (layer.dWeight[i]! + this.weightDecay * layer.weight[i]!);
      for (let o = 0; o < layer.bias.length; o++) layer.bias[o] -= lr * (layer.dBias[o]! + this.weightDecay * layer.bias[o]!);
    }
    return loss;
  }

  async predict(inputs: FloatArray, count: number): Promise<FloatArray> {
    const outputs = this.forward(inputs, count).h.at(-1)!;
    return this.spec.dtype === "float32" ? Float32Array.from(outputs) : Float64Array.from(outputs);
  }

  async getParams(): Promise<ParamList> {
    return this.tensors((layer) => [layer.weight, layer.bias]);
  }

  async setParams(params: ParamList): Promise<void> {
    this.layers.forEach((layer, i) => {
      layer.weight.set(params[2 * i]!.data);
      layer.bias.set(params[2 * i + 1]!.data);
    });
  }

  /** For check: the pass's z and h, then dlogits and each layer's dh and dz, as backprop computes them. */
  async intermediates(batch: Batch): Promise<ParamList> {
    const pass = this.forward(batch.inputs, batch.size);
    this.loss(pass, batch);
    this.backward(pass, batch);
    const last = this.layers.length - 1;
    const tensor = (name: string, i: number, data: Float64Array) => ({ name, shape: [pass.rows, this.layers[i]!.outputs], data: this.spec.dtype === "float32" ? Float32Array.from(data) : data });
    const forward = this.layers.flatMap((_, i) => [tensor(`layers.${i}.z`, i, pass.z[i]!), tensor(`layers.${i}.h`, i, pass.h[i]!)]);
    const backward = [];
    for (let i = last; i >= 0; i--) {
      if (i < last || this.layers[i]!.activation !== "identity") backward.push(tensor(`layers.${i}.dh`, i, pass.dh[i]!));
      backward.push(tensor(i === last ? "dlogits" : `layers.${i}.dz`, i, pass.dz[i]!));
    }
    return [...forward, ...backward];
  }

  dispose(): void {}

  /** z = x · W + b, h = act(z), layer after layer (computed in float64). */
  private forward(inputs: FloatArray, rows: number): Pass {
    const pass: Pass = { rows, inputs, z: [], h: [], dz: [], dh: [] };
    let x: ArrayLike<number> = inputs;
    this.layers.forEach((layer, l) => {
      const z = new Float64Array(rows * layer.outputs);
      for (let r = 0; r < rows; r++) {
        for (let o = 0; o < layer.outputs; o++) {
          let sum = layer.bias[o]!;
          for (let i = 0; i < layer.inputs; i++) sum += x[r * layer.inputs + i]! * layer.weight[i * layer.outputs + o]!;
          z[r * layer.outputs + o] = sum;
        }
      }
      const h = z.map((value) => activate(layer.activation, value));
      pass.z[l] = z;
      pass.h[l] = h;
      pass.dz[l] = new Float64Array(z.length);
      pass.dh[l] = new Float64Array(z.length);
      x = h;
    });
    return pass;
  }

  /**
   * The batch loss of the last layer's outputs h (the logits for cross_entropy):
   * cross_entropy: logsumexp(h_r) − h_r[y_r] per row; mse: Σ_c (h_rc − t_rc)² per row; then the
   * reduction (mean: ÷ rows, and ÷ outputs too for mse; sum: as is) times loss.scale (default 1).
   */
  private loss(pass: Pass, batch: Batch): number {
    const h = pass.h.at(-1)!;
    const width = this.layers.at(-1)!.outputs;
    let total = 0;
    for (let r = 0; r < pass.rows; r++) {
      const row = h.subarray(r * width, (r + 1) * width);
      if (this.spec.loss.type === "cross_entropy") {
        const max = Math.max(...row);
        const logSumExp = max + Math.log(row.reduce((sum, value) => sum + Math.exp(value - max), 0));
        total += logSumExp - row[batch.labels![r]!]!;
      } else {
        for (let c = 0; c < width; c++) total += (row[c]! - batch.targets![r * width + c]!) ** 2;
      }
    }
    return total * this.lossScale(pass.rows);
  }

  /** What the loss multiplies the summed terms by: the reduction's divisor and loss.scale. */
  private lossScale(rows: number): number {
    const { reduction, type, scale } = this.spec.loss;
    const count = reduction === "sum" ? 1 : type === "mse" ? rows * this.layers.at(-1)!.outputs : rows;
    return (scale ?? 1) / count;
  }

  /**
   * YOUR PART: the backward pass. Fill, from the last layer L down to layer 0:
   *
   *   pass.dh[L]   = dL/dh of the outputs:
   *                  cross_entropy: (softmax(h_r) − onehot(y_r)) · s      (s = this.lossScale(rows))
   *                  mse:           2 · (h_rc − t_rc) · s
   *   pass.dz[l]   = pass.dh[l] ⊙ act′(z[l])   relu: z > 0 ? 1 : 0 · tanh: 1 − h² · sigmoid: h·(1 − h) · identity: 1
   *   dWeight[l]   = x[l]ᵀ · dz[l]             x[l]: the layer's inputs (pass.h[l − 1], or pass.inputs for layer 0)
   *   dBias[l]     = Σ_rows dz[l]
   *   pass.dh[l−1] = dz[l] · W[l]ᵀ             (for l > 0)
   *
   * Shapes: z, h, dz, dh [rows, outputs]; W and dWeight [inputs, outputs]; all row-major.
   * Overwrite dWeight and dBias (they hold the previous batch's values).
   */
  private backward(pass: Pass, batch: Batch): void {
    // ---- your backward pass: start ----
    void pass;
    void batch;
    throw new Error("the backward pass is not written yet: fill in backward() in this file");
    // ---- your backward pass: end ----
  }

  private tensors(pick: (layer: Layer) => [FloatArray, FloatArray]): ParamList {
    return this.layers.flatMap((layer, i) => {
      const [weight, bias] = pick(layer);
      return [
        { name: `layers.${i}.weight`, shape: [layer.inputs, layer.outputs], data: weight.slice() },
        { name: `layers.${i}.bias`, shape: [layer.outputs], data: bias.slice() },
      ];
    });
  }
}

function activate(activation: Activation, z: number): number {
  if (activation === "relu") return z > 0 ? z : 0;
  if (activation === "tanh") return Math.tanh(z);
  if (activation === "sigmoid") return 1 / (1 + Math.exp(-z));
  return z;
}

/** The backend crossprop loads from this file: its name, what it computes, and how to build a model. */
export const backend: Backend = {
  name: "my-backprop",
  supports: {
    dtypes: ["float32", "float64"],
    activations: ["relu", "tanh", "sigmoid", "identity"],
    losses: ["cross_entropy", "mse"],
    optimizers: ["sgd"],
    engines: [],
  },
  async createModel(spec: ModelSpec, initial: ParamList, optimizer: OptimizerSpec): Promise<Model> {
    // SGD only (supports.optimizers): crossprop refuses any other optimizer before calling this.
    return new MyModel(spec, initial, optimizer.weightDecay);
  },
};

export default backend;
