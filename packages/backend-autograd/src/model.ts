import {
  allocFloat,
  checkParamList,
  intermediateShapes,
  optimizerStateArrays,
  optimizerStateShapes,
  paramShapes,
  stateEntry,
  UserError,
  type Batch,
  type FloatArray,
  type LossAndGradients,
  type Model,
  type ModelSpec,
  type OptimizerSpec,
  type ParamList,
  type StateShape,
} from "@crossprop/core";
import { BufferPool, withPool } from "./buffer-pool.ts";
import { createOptimizer } from "./create-optimizer.ts";
import { denseLayer } from "./dense-layer.ts";
import { KernelInputs } from "./kernel-inputs.ts";
import type { KernelMemory } from "./kernel-memory.ts";
import type { Optimizer } from "./optimizer.ts";
import { specLoss } from "./spec-loss.ts";
import { noGrad, Tensor } from "./tensor.ts";

/** predict() runs at most this many rows at once. */
const PREDICT_CHUNK_ROWS = 1024;

/**
 * A dense stack on autograd tensors: outputs = act(inputs @ weight + bias) per layer. Every call
 * builds its graph inside the model's buffer pool and copies results out, so once the first step
 * has run a step allocates no new arrays (only small bookkeeping objects) and no graph outlives it.
 * The optimizer's state is allocated with the model; only trainStep reads or changes it. The spec
 * has passed core's checkSpec (layers chain, a binary loss has one output), so nothing re-checks it.
 *
 * With a kernel memory (the wasm engine, float32) the same graph is built, but the parameters,
 * their gradients and the pool's buffers live in the kernels' memory, so matmul, the bias add and
 * relu run their loops there, and the first layer's inputs are read by their nonzeros (its x·W + b
 * one op there: denseLayer). The model owns the memory and disposes it.
 */
export class AutogradModel implements Model {
  readonly engine: string;
  /** The kernels' threads on the wasm engine; 1 on the typescript engine. */
  readonly threads: number;
  private readonly spec: ModelSpec;
  private readonly names: string[];
  private params: Tensor[];
  private optimizer: Optimizer | null;
  private readonly stateShapes: StateShape[];
  private readonly pool: BufferPool;
  /** The wasm engine's input tensors; null on the typescript engine. */
  private readonly kernelInputs: KernelInputs | null;
  private disposed = false;

  constructor(spec: ModelSpec, initial: ParamList, optimizer: OptimizerSpec, private readonly memory: KernelMemory | null = null) {
    if (memory !== null && spec.dtype !== "float32") throw new Error(`the wasm engine computes float32, not ${spec.dtype}`);
    this.spec = spec;
    this.engine = memory === null ? "typescript-autograd" : "wasm-autograd";
    this.threads = memory?.kernels.threads ?? 1;
    const shapes = paramShapes(spec);
    checkParamList(spec, initial);
    this.names = shapes.map((entry) => entry.name);
    this.params = shapes.map((entry, i) =>
      memory === null ? Tensor.from(initial[i]!.data, entry.shape, spec.dtype, true) : memory.parameter(initial[i]!.data, entry.shape),
    );
    this.optimizer = createOptimizer(optimizer, this.params, memory?.kernels ?? null);
    this.stateShapes = optimizerStateShapes(spec, optimizer);
    this.pool = new BufferPool(memory);
    this.kernelInputs = memory === null ? null : new KernelInputs(memory, spec.inputs, spec.layers[0]!.outputs);
  }

  async lossAndGradients(batch: Batch): Promise<LossAndGradients> {
    this.assertUsable();
    return withPool(this.pool, () => {
      const loss = this.backpropagate(batch);
      const gradients = this.params.map((param, i) => ({ name: this.names[i]!, shape: [...param.shape], data: copyOf(param.gradBuffer(), this.spec) }));
      return { loss, gradients };
    });
  }

  /**
   * The pass's per-layer tensors (core's intermediateShapes): the graph's own z and h tensors, and
   * the gradients its backward pass accumulated into them — nothing derived here by hand.
   */
  async intermediates(batch: Batch): Promise<ParamList> {
    this.assertUsable();
    return withPool(this.pool, () => {
      for (const param of this.params) param.zeroGrad();
      const layers: { z: Tensor; h: Tensor }[] = [];
      const outputs = this.forward(this.batchInputs(batch), layers);
      specLoss(outputs, batch, this.spec.loss).backward();
      return intermediateShapes(this.spec, batch.size).map(({ name, kind, shape, layer }) => {
        const { z, h } = layers[layer]!;
        const tensor = kind === "dz" || kind === "z" ? z : h;
        const values = kind === "z" || kind === "h" ? tensor.data : (tensor.grad ?? allocFloat(this.spec.dtype, tensor.size));
        return { name, shape: [...shape], data: copyOf(values, this.spec) };
      });
    });
  }

  async trainStep(batch: Batch, lr: number): Promise<number> {
    this.assertUsable();
    return withPool(this.pool, () => {
      const loss = this.backpropagate(batch);
      this.optimizer!.step(lr);
      return loss;
    });
  }

  async predict(inputs: FloatArray, count: number): Promise<FloatArray> {
    this.assertUsable();
    const width = this.spec.layers[this.spec.layers.length - 1]!.outputs;
    const features = this.spec.inputs;
    if (inputs.length < count * features) throw new UserError(`expected ${count}×${features} inputs, got ${inputs.length} values`);
    const result = allocFloat(this.spec.dtype, count * width);
    // In chunks, so evaluating a whole split keeps no split-sized buffers in the pool.
    for (let first = 0; first < count; first += PREDICT_CHUNK_ROWS) {
      const rows = Math.min(PREDICT_CHUNK_ROWS, count - first);
      const chunk = inputs.subarray(first * features, (first + rows) * features);
      withPool(this.pool, () => noGrad(() => result.set(this.forward(this.inputTensor(chunk, rows)).data, first * width)));
    }
    return result;
  }

  /** predict for one batch of up to PREDICT_CHUNK_ROWS rows, read as a training step reads it (pixel bytes on the wasm engine). */
  async predictBatch(batch: Batch): Promise<FloatArray> {
    this.assertUsable();
    if (batch.size > PREDICT_CHUNK_ROWS) return this.predict(batch.inputs, batch.size);
    return withPool(this.pool, () => noGrad(() => copyOf(this.forward(this.batchInputs(batch)).data, this.spec)));
  }

  async getParams(): Promise<ParamList> {
    this.assertUsable();
    return this.params.map((param, i) => ({ name: this.names[i]!, shape: [...param.shape], data: copyOf(param.data, this.spec) }));
  }

  async setParams(params: ParamList): Promise<void> {
    this.assertUsable();
    checkParamList(this.spec, params);
    this.params.forEach((param, i) => param.data.set(params[i]!.data));
  }

  async getOptimizerState(): Promise<ParamList> {
    this.assertUsable();
    const arrays = this.optimizer!.state();
    return this.stateShapes.map(({ name, shape }, i) => stateEntry(name, shape, arrays[i]!));
  }

  /** Checks `state` against core's shapes (a mismatch is refused whole), then restores it. */
  async setOptimizerState(state: ParamList): Promise<void> {
    this.assertUsable();
    const arrays = optimizerStateArrays(this.stateShapes, state);
    this.optimizer!.restore(this.stateShapes.map(({ name }) => arrays.get(name)!));
  }

  /** Bytes held by the step buffer pool: constant after the first step of each batch size. */
  get pooledBytes(): number {
    return this.pool.bytes;
  }

  dispose(): void {
    this.disposed = true;
    this.params = [];
    this.optimizer = null;
    this.pool.clear();
    this.kernelInputs?.free();
    this.memory?.dispose(); // frees the parameters and gradients, and releases the kernels
  }

  /** Zeroes the parameter gradients, then fills them with d(loss)/d(param); returns the loss. */
  private backpropagate(batch: Batch): number {
    for (const param of this.params) param.zeroGrad();
    const loss = this.loss(batch);
    loss.backward();
    return loss.item();
  }

  /** The last layer's activations; `record`, when given, receives each layer's z and h tensors. */
  private forward(inputs: Tensor, record?: { z: Tensor; h: Tensor }[]): Tensor {
    let activations = inputs;
    this.spec.layers.forEach((layer, i) => {
      const { z, h } = denseLayer(activations, this.params[2 * i]!, this.params[2 * i + 1]!, layer.activation);
      activations = h;
      record?.push({ z, h });
    });
    return activations;
  }

  private loss(batch: Batch): Tensor {
    return specLoss(this.forward(this.batchInputs(batch)), batch, this.spec.loss);
  }

  /** The batch's inputs; the wasm engine reads its pixel bytes when it has them (never `batch.inputs`). */
  private batchInputs(batch: Batch): Tensor {
    if (this.kernelInputs === null || batch.pixels === undefined) return this.inputTensor(batch.inputs, batch.size);
    const length = batch.size * this.spec.inputs;
    if (batch.pixels.bytes.length < length) throw new UserError(`expected ${batch.size}×${this.spec.inputs} pixels, got ${batch.pixels.bytes.length} bytes`);
    return this.kernelInputs.ofBatch(batch);
  }

  /** A copy of the first `count` rows (the caller's buffer may be reused after the call). */
  private inputTensor(inputs: FloatArray, count: number): Tensor {
    const features = this.spec.inputs;
    if (inputs.length < count * features) throw new UserError(`expected ${count}×${features} inputs, got ${inputs.length} values`);
    if (this.kernelInputs !== null) return this.kernelInputs.ofDense(inputs, count);
    return Tensor.from(inputs.subarray(0, count * features), [count, features], this.spec.dtype);
  }

  private assertUsable(): void {
    if (this.disposed) throw new Error("this autograd model was disposed");
  }
}

function copyOf(values: FloatArray, spec: ModelSpec): FloatArray {
  const copy = allocFloat(spec.dtype, values.length);
  copy.set(values);
  return copy;
}
