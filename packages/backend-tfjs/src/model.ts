import * as tf from "@tensorflow/tfjs";
import {
  biasName,
  checkParamList,
  intermediateShapes,
  optimizerStateArrays,
  optimizerStateShapes,
  stateEntry,
  weightName,
  type Batch,
  type FloatArray,
  type LossAndGradients,
  type Model,
  type ModelSpec,
  type OptimizerSpec,
  type ParamList,
  type StateShape,
} from "@crossprop/core";
import { activateEngine, type EngineName } from "./engine.ts";
import { batchTensors, copyFloat32, disposeBatch, type BatchTensors } from "./batch-tensors.ts";
import { lossOf } from "./loss.ts";
import { activate, forward, forwardFrom, type DenseVariables } from "./network.ts";
import { TfjsOptimizer } from "./optimizer.ts";
import { extraStateShapes } from "./optimizer-state.ts";

/** Rows per predict chunk: bounds the engine's memory for a whole-dataset predict. */
const PREDICT_ROWS = 4096;

/**
 * A ModelSpec as tf.variables, differentiated by tfjs's own autodiff (`tf.variableGrads`) and
 * updated by `tf.train` optimizers. Every method first makes this model's engine tfjs's active
 * backend, then does its tensor work synchronously, so models on different engines can coexist.
 */
export class TfjsModel implements Model {
  private disposed = false;

  private constructor(
    readonly engine: EngineName,
    private readonly spec: ModelSpec,
    private readonly layers: DenseVariables[],
    /** Holds the weight decay too: an update rule, so not part of the loss. */
    private readonly optimizer: TfjsOptimizer,
    /** Core's optimizerStateShapes, then tfjs's own (Adam's running β powers). */
    private readonly stateShapes: StateShape[],
  ) {}

  /** `spec` and `optimizer` have passed core's checkSpec, `initial` its checkParamList. */
  static async create(engine: EngineName, spec: ModelSpec, initial: ParamList, optimizer: OptimizerSpec): Promise<TfjsModel> {
    await activateEngine(engine);
    // Variables get tfjs's unique auto names: a fixed name would clash with another live model.
    const layers = spec.layers.map((layer, i) => ({
      weight: variableOf(initial[2 * i]!.data, [layer.inputs, layer.outputs]),
      bias: variableOf(initial[2 * i + 1]!.data, [layer.outputs]),
    }));
    return new TfjsModel(engine, spec, layers, TfjsOptimizer.create(optimizer), [...optimizerStateShapes(spec, optimizer), ...extraStateShapes(optimizer.type)]);
  }

  async lossAndGradients(batch: Batch): Promise<LossAndGradients> {
    await this.activate();
    const tensors = this.batchTensors(batch);
    try {
      const { value, grads } = tf.variableGrads(() => this.loss(tensors), this.variables());
      const gradients = this.variables().map((variable, i) => {
        const grad = grads[variable.name];
        return { name: this.paramName(i), shape: [...variable.shape], data: grad ? copyOut(grad) : new Float32Array(variable.size) };
      });
      const loss = value.dataSync()[0]!;
      tf.dispose([value, ...Object.values(grads)]);
      return { loss, gradients };
    } finally {
      disposeBatch(tensors);
    }
  }

  /**
   * The pass's per-layer tensors (core's intermediateShapes): z and h by the forward ops, and each
   * dL/dz and dL/dh by tfjs's autodiff of the loss as a function of that tensor (tf.grad through
   * the layers after it), so no gradient here comes from a formula of ours.
   */
  async intermediates(batch: Batch): Promise<ParamList> {
    await this.activate();
    const tensors = this.batchTensors(batch);
    const { layers } = this.spec;
    const lossAfter = (first: number) => (inputs: tf.Tensor) => lossOf(forwardFrom(first, inputs as tf.Tensor2D, layers, this.layers), tensors.targets, this.spec.loss);
    try {
      const zs: tf.Tensor2D[] = [];
      const hs: tf.Tensor2D[] = [];
      let values = tensors.inputs;
      layers.forEach((layer, i) => {
        zs[i] = tf.add(tf.matMul(values, this.layers[i]!.weight), this.layers[i]!.bias);
        hs[i] = activate(zs[i]!, layer.activation);
        values = hs[i]!;
      });
      const entries = intermediateShapes(this.spec, batch.size).map(({ name, kind, shape, layer }) => {
        const z = zs[layer]!;
        let tensor: tf.Tensor;
        if (kind === "z") tensor = z;
        else if (kind === "h") tensor = hs[layer]!;
        // dL/dh: the loss of the layers after this one, differentiated by its input.
        else if (kind === "dh") tensor = tf.grad(lossAfter(layer + 1))(hs[layer]!);
        // dL/dz: the same through this layer's activation.
        else tensor = tf.grad((input: tf.Tensor) => lossAfter(layer + 1)(activate(input as tf.Tensor2D, layers[layer]!.activation)))(z);
        const data = copyOut(tensor);
        if (kind !== "z" && kind !== "h") tensor.dispose();
        return { name, shape: [...shape], data };
      });
      tf.dispose([...zs, ...hs]);
      return entries;
    } finally {
      disposeBatch(tensors);
    }
  }

  async trainStep(batch: Batch, lr: number): Promise<number> {
    await this.activate();
    const tensors = this.batchTensors(batch);
    try {
      const value = tf.tidy(() => {
        const { value, grads } = tf.variableGrads(() => this.loss(tensors), this.variables());
        this.optimizer.step(this.variables(), grads, lr);
        return value;
      });
      const loss = value.dataSync()[0]!;
      value.dispose();
      return loss;
    } finally {
      disposeBatch(tensors);
    }
  }

  async predict(inputs: FloatArray, count: number): Promise<FloatArray> {
    await this.activate();
    const features = this.spec.inputs;
    const outputs = this.spec.layers[this.spec.layers.length - 1]!.outputs;
    const result = new Float32Array(count * outputs);
    for (let start = 0; start < count; start += PREDICT_ROWS) {
      const rows = Math.min(PREDICT_ROWS, count - start);
      const chunk = copyFloat32(inputs.subarray(start * features, (start + rows) * features), rows * features);
      const values = tf.tidy(() => forward(tf.tensor2d(chunk, [rows, features]), this.spec.layers, this.layers));
      result.set(values.dataSync(), start * outputs);
      values.dispose();
    }
    return result;
  }

  async getParams(): Promise<ParamList> {
    await this.activate();
    return this.variables().map((variable, i) => ({ name: this.paramName(i), shape: [...variable.shape], data: copyOut(variable) }));
  }

  async setParams(params: ParamList): Promise<void> {
    checkParamList(this.spec, params);
    await this.activate();
    this.variables().forEach((variable, i) => {
      const value = tensorOf(params[i]!.data, variable.shape);
      variable.assign(value);
      value.dispose();
    });
  }

  async getOptimizerState(): Promise<ParamList> {
    await this.activate();
    const arrays = this.optimizer.state(this.variables());
    return this.stateShapes.map(({ name, shape }, i) => stateEntry(name, shape, arrays[i]!));
  }

  /** Checks `state` against the shapes (a mismatch is refused whole), then restores it. */
  async setOptimizerState(state: ParamList): Promise<void> {
    const arrays = optimizerStateArrays(this.stateShapes, state);
    await this.activate();
    this.optimizer.restore(this.variables(), this.stateShapes.map(({ name }) => arrays.get(name)!));
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const { weight, bias } of this.layers) tf.dispose([weight, bias]);
    this.optimizer.dispose();
  }

  private async activate(): Promise<void> {
    if (this.disposed) throw new Error("this tfjs model has been disposed");
    await activateEngine(this.engine);
  }

  private batchTensors(batch: Batch): BatchTensors {
    const outputs = this.spec.layers[this.spec.layers.length - 1]!.outputs;
    return batchTensors(batch, this.spec.inputs, outputs, this.spec.loss);
  }

  private loss(tensors: BatchTensors): tf.Scalar {
    return lossOf(forward(tensors.inputs, this.spec.layers, this.layers), tensors.targets, this.spec.loss);
  }

  /** In ParamList order: layers.0.weight, layers.0.bias, layers.1.weight, ... */
  private variables(): tf.Variable[] {
    return this.layers.flatMap(({ weight, bias }) => [weight, bias]);
  }

  private paramName(index: number): string {
    const layer = Math.floor(index / 2);
    return index % 2 === 0 ? weightName(layer) : biasName(layer);
  }
}

/** A float32 tensor holding a copy of `data`: the caller's array is never aliased. */
function tensorOf(data: FloatArray, shape: number[]): tf.Tensor {
  return tf.tensor(copyFloat32(data, data.length), shape, "float32");
}

/** A variable holding a copy of `data`; the temporary tensor it was made from is freed. */
function variableOf(data: FloatArray, shape: number[]): tf.Variable {
  const value = tensorOf(data, shape);
  const variable = tf.variable(value);
  value.dispose();
  return variable;
}

/** A copy of a tensor's values: engines may hand out their internal buffer. */
function copyOut(tensor: tf.Tensor): Float32Array {
  return new Float32Array(tensor.dataSync());
}
