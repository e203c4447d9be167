import type { Activation, Batch, LossType, OptimizerType } from "@crossprop/core";

/**
 * The formulas of a hand-written backward pass and update, one function each, so an exercise can
 * replace exactly one of them with a mistake. Everything is per element or per row, in float64.
 */
export interface Formulas {
  /** dL/dz = dL/dh · act′(z), for one element (h = act(z)). */
  activationBackward(activation: Activation, z: number, h: number, dh: number): number;
  /**
   * dL/dh of the output row `r` into `out` (width values), for outputs `h` of that row; `s` is what
   * the loss multiplies each term by (the reduction's 1/count and loss.scale).
   */
  lossGradient(type: LossType, h: Float64Array, r: number, batch: Batch, s: number, out: Float64Array): void;
  /** Whether the backward pass goes on below the output layer (notebook 003's returned after it). */
  throughHiddenLayers: boolean;
  /** One parameter element's update; `state` holds this element's slots (velocity, or m and v). */
  update(type: OptimizerType, p: number, g: number, state: Float64Array, j: number, context: UpdateContext): number;
}

export interface UpdateContext {
  lr: number;
  /** 1-based step count (Adam's t). */
  t: number;
  momentum: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  weightDecay: number;
  /** The tensor is a bias (an exercise may forget to update those). */
  isBias: boolean;
  /** Per element: velocity (momentum) or first and second moments (adam, adamw), `stride` apart. */
  stride: number;
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

/** The correct formulas (torch's optimizers: SGD with L2 decay, momentum without dampening, Adam, AdamW). */
export const CORRECT: Formulas = {
  activationBackward(activation, z, h, dh) {
    if (activation === "relu") return z > 0 ? dh : 0;
    if (activation === "tanh") return dh * (1 - h * h);
    if (activation === "sigmoid") return dh * h * (1 - h);
    return dh;
  },
  lossGradient(type, h, r, batch, s, out) {
    const width = out.length;
    if (type === "cross_entropy") {
      // d/dz [logsumexp(z) − z_y] = softmax(z) − onehot(y)
      let max = -Infinity;
      for (let c = 0; c < width; c++) max = Math.max(max, h[c]!);
      let sum = 0;
      for (let c = 0; c < width; c++) sum += Math.exp(h[c]! - max);
      for (let c = 0; c < width; c++) out[c] = (Math.exp(h[c]! - max) / sum - (batch.labels![r] === c ? 1 : 0)) * s;
    } else if (type === "mse") {
      for (let c = 0; c < width; c++) out[c] = 2 * (h[c]! - batch.targets![r * width + c]!) * s;
    } else {
      const y = batch.targets ? batch.targets[r]! : batch.labels![r]!;
      const p = sigmoid(h[0]!);
      // sigmoid_distance: y = 1 ? 1 − σ : σ, so ∓σ(1 − σ); bce from the logit: σ(z) − y
      out[0] = (type === "sigmoid_distance" ? (y === 1 ? -1 : 1) * p * (1 - p) : p - y) * s;
    }
  },
  throughHiddenLayers: true,
  update(type, p, g, state, j, c) {
    if (type === "sgd") return p - c.lr * (g + c.weightDecay * p);
    if (type === "momentum") {
      const v = c.momentum * state[j]! + (g + c.weightDecay * p);
      state[j] = v;
      return p - c.lr * v;
    }
    const grad = type === "adam" ? g + c.weightDecay * p : g;
    const m = c.beta1 * state[j]! + (1 - c.beta1) * grad;
    const v = c.beta2 * state[j + c.stride]! + (1 - c.beta2) * grad * grad;
    state[j] = m;
    state[j + c.stride] = v;
    const shrink = type === "adamw" ? 1 - c.lr * c.weightDecay : 1;
    return p * shrink - ((c.lr / (1 - c.beta1 ** c.t)) * m) / (Math.sqrt(v) / Math.sqrt(1 - c.beta2 ** c.t) + c.epsilon);
  },
};
