import {
  allocFloat,
  EVALUATION_ROWS,
  checkParamList,
  optimizerStateShapes,
  paramShapes,
  type Activation,
  type Batch,
  type FloatArray,
  type LossAndGradients,
  type Model,
  type ModelSpec,
  type OptimizerSpec,
  type ParamList,
  type StateShape,
} from "@crossprop/core";
import type { Kernels, SparseRows } from "@crossprop/kernels";
import { activationBackward, activationForward } from "./activation.ts";
import { createOptimizer } from "./create-optimizer.ts";
import { passIntermediates } from "./intermediates.ts";
import { createKernelLoss } from "./kernel-loss.ts";
import type { LossFunction } from "./loss.ts";
import type { Optimizer } from "./optimizer.ts";
import { exportOptimizerState, importOptimizerState } from "./optimizer-state.ts";
import { KernelWorkspaces, type KernelWorkspace } from "./kernel-workspace.ts";

/** predict() runs at most this many rows at once (evaluation brings EVALUATION_ROWS: one workspace serves both). */
const PREDICT_CHUNK_ROWS = EVALUATION_ROWS;
/** Skip zero inputs when at most this fraction is nonzero (MNIST: 19%); denser data takes the dense product. */
const SPARSE_DENSITY = 0.5;

/**
 * The same hand-written derivation as ManualModel (model.ts), with every product and the hot loops
 * computed by @crossprop/kernels (WebAssembly SIMD, float32, on the kernels' threads). This model
 * still decides which products to take; the kernels only compute them, as BLAS does for numpy.
 */
export class KernelModel implements Model {
  readonly engine = "wasm";
  readonly threads: number;
  private readonly loss: LossFunction;
  private readonly freeLoss: () => void;
  private readonly optimizer: Optimizer | null;
  private readonly stateShapes: StateShape[];
  private readonly weightDecay: number;
  /** weight, bias, weight, bias, … and their gradients, in ParamList order, in kernel memory. */
  private readonly params: Float32Array[];
  private readonly gradients: Float32Array[];
  private readonly workspaces: KernelWorkspaces;
  /** The first layer's inputs by their nonzeros, grown to the largest batch seen. */
  private sparse: SparseRows | null = null;
  private sparseCapacity = 0;
  private firstLayerSparse = true;
  private disposed = false;

  constructor(
    private readonly kernels: Kernels,
    private readonly spec: ModelSpec,
    initial: ParamList,
    optimizer: OptimizerSpec,
  ) {
    this.threads = kernels.threads;
    const shapes = paramShapes(spec);
    this.params = shapes.map(({ shape }) => kernels.allocFloat32(shape.reduce((a, b) => a * b, 1)));
    this.gradients = shapes.map(({ shape }) => kernels.allocFloat32(shape.reduce((a, b) => a * b, 1)));
    const loss = createKernelLoss(kernels, spec.loss, spec.layers.at(-1)!.outputs);
    this.loss = loss.loss;
    this.freeLoss = loss.free;
    // Plain SGD is two kernel calls; the stateful rules keep their TypeScript loops, on kernel memory.
    this.optimizer = optimizer.type === "sgd" ? null : createOptimizer(optimizer, this.params.map((p) => p.length), "float32");
    this.weightDecay = optimizer.weightDecay;
    this.stateShapes = optimizerStateShapes(spec, optimizer);
    this.workspaces = new KernelWorkspaces(kernels, spec.layers);
    this.setParamsNow(initial);
  }

  async lossAndGradients(batch: Batch): Promise<LossAndGradients> {
    const loss = this.forwardBackward(batch);
    return { loss, gradients: this.copyOut(this.gradients) };
  }

  /** The pass's per-layer tensors (core's intermediateShapes), from the workspace the pass filled. */
  async intermediates(batch: Batch): Promise<ParamList> {
    this.forwardBackward(batch);
    return passIntermediates(this.spec, batch.size, this.workspaces.get(batch.size));
  }

  async trainStep(batch: Batch, lr: number): Promise<number> {
    const loss = this.forwardBackward(batch);
    if (this.optimizer) {
      this.optimizer.step(this.params, this.gradients, lr);
      return loss;
    }
    // torch.optim.SGD: g ← g + weightDecay·p;  p ← p − lr·g
    for (let t = 0; t < this.params.length; t++) {
      const param = this.params[t]!;
      const gradient = this.gradients[t]!;
      if (this.weightDecay !== 0) this.kernels.axpy(gradient, this.weightDecay, param, param.length);
      this.kernels.axpy(param, -lr, gradient, param.length);
    }
    return loss;
  }

  async predict(inputs: FloatArray, count: number): Promise<FloatArray> {
    this.checkAlive();
    const features = this.spec.inputs;
    const width = this.spec.layers.at(-1)!.outputs;
    const result = new Float32Array(count * width);
    for (let first = 0; first < count; first += PREDICT_CHUNK_ROWS) {
      const rows = Math.min(PREDICT_CHUNK_ROWS, count - first);
      const workspace = this.workspaces.get(rows);
      this.setInputs(inputs.subarray(first * features, (first + rows) * features) as Float32Array, undefined, rows, workspace);
      result.set(this.forward(rows, workspace), first * width);
    }
    return result;
  }

  /** predict for one batch of up to PREDICT_CHUNK_ROWS rows, from its pixel bytes when it has them (as a training step reads them). */
  async predictBatch(batch: Batch): Promise<FloatArray> {
    this.checkAlive();
    const rows = batch.size;
    if (rows > PREDICT_CHUNK_ROWS || !batch.pixels) return this.predict(batch.inputs, rows);
    const workspace = this.workspaces.get(rows);
    this.setInputs(undefined, batch.pixels, rows, workspace);
    return Float32Array.from(this.forward(rows, workspace));
  }

  async getParams(): Promise<ParamList> {
    this.checkAlive();
    return this.copyOut(this.params);
  }

  async getOptimizerState(): Promise<ParamList> {
    this.checkAlive();
    return exportOptimizerState(this.stateShapes, this.optimizer);
  }

  async setOptimizerState(state: ParamList): Promise<void> {
    this.checkAlive();
    importOptimizerState(this.stateShapes, this.optimizer, state);
  }

  async setParams(params: ParamList): Promise<void> {
    this.checkAlive();
    this.setParamsNow(params);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.workspaces.free();
    this.sparse?.free();
    this.freeLoss();
    for (const array of [...this.params, ...this.gradients]) this.kernels.free(array);
  }

  /** Runs the batch forward, then backward from the loss into every parameter's gradient. */
  private forwardBackward(batch: Batch): number {
    this.checkAlive();
    const rows = batch.size;
    const workspace = this.workspaces.get(rows);
    const sparse = this.setInputs(batch.pixels ? undefined : (batch.inputs as Float32Array), batch.pixels, rows, workspace);
    const outputs = this.forward(rows, workspace);
    const last = this.spec.layers.length - 1;
    const gradOutputs = workspace.gradActivations[last]!;
    gradOutputs.fill(0);
    const loss = this.loss(outputs, batch, gradOutputs);
    for (let l = last; l >= 0; l--) {
      const layer = this.spec.layers[l]!;
      const n = rows * layer.outputs;
      const z = workspace.preactivations[l]!;
      const gradZ = workspace.gradPreactivations[l]!;
      const gradWeight = this.gradients[2 * l]!;
      const gradBias = this.gradients[2 * l + 1]!;
      // dL/dz = dL/da · f'(z);  dL/dbias = Σ_r dL/dz[r, :] (for relu, both in one pass);  dL/dweight = inputsᵀ · dL/dz
      if (layer.activation === "relu") this.kernels.reluBackwardColumnSums(gradZ, z, workspace.gradActivations[l]!, rows, layer.outputs, gradBias);
      else {
        this.activationBackward(layer.activation, z, workspace.gradActivations[l]!, gradZ, n);
        this.kernels.columnSums(gradBias, gradZ, rows, layer.outputs);
      }
      if (l > 0) this.kernels.matmulTransA(gradWeight, workspace.activations[l - 1]!, gradZ, layer.inputs, rows, layer.outputs);
      else if (sparse) this.kernels.sparseMatmulTransA(gradWeight, this.sparse!, gradZ, layer.outputs);
      else this.kernels.matmulTransA(gradWeight, workspace.inputs, gradZ, layer.inputs, rows, layer.outputs);
      // dL/dinputs = dL/dz · weightᵀ; the first layer's inputs are data, their gradient is never needed.
      if (l > 0) this.kernels.matmulTransB(workspace.gradActivations[l - 1]!, gradZ, this.params[2 * l]!, rows, layer.outputs, layer.inputs);
    }
    return loss;
  }

  /**
   * Puts the first layer's inputs where the kernels read them: the nonzeros by row (from the batch's
   * pixel bytes when it has them), or dense floats when the data is too dense to gain from skipping.
   * Returns whether the first layer reads the sparse rows.
   */
  private setInputs(dense: Float32Array | undefined, pixels: Batch["pixels"], rows: number, workspace: KernelWorkspace): boolean {
    if (this.sparse === null || rows > this.sparseCapacity) {
      this.sparse?.free();
      this.sparseCapacity = rows;
      this.sparse = this.kernels.createSparse(rows, this.spec.inputs, this.spec.layers[0]!.outputs);
    }
    const sparse = this.sparse;
    if (pixels) sparse.setBytes(pixels.bytes, rows, pixels.scale as Float32Array);
    else sparse.setDense(dense!, rows);
    this.firstLayerSparse = sparse.nonzeros <= SPARSE_DENSITY * rows * this.spec.inputs;
    if (!this.firstLayerSparse) workspace.inputs.set(dense ?? sparse.toDense());
    return this.firstLayerSparse;
  }

  /** The last layer's activations for the rows set by setInputs, in the workspace. */
  private forward(rows: number, workspace: KernelWorkspace): Float32Array {
    const { kernels, spec } = this;
    for (let l = 0; l < spec.layers.length; l++) {
      const layer = spec.layers[l]!;
      const z = workspace.preactivations[l]!;
      const a = workspace.activations[l]!;
      const weight = this.params[2 * l]!;
      const bias = this.params[2 * l + 1]!;
      if (l === 0 && this.firstLayerSparse) {
        // z = x·W + b, and a = relu(z), in the product's own stores (the same bytes as the three calls below).
        const relu = layer.activation === "relu";
        kernels.sparseMatmul(z, this.sparse!, weight, layer.outputs, false, relu ? { bias, activated: a } : { bias });
        if (!relu) this.activationForward(layer.activation, z, a, rows * layer.outputs);
        continue;
      }
      kernels.matmul(z, l > 0 ? workspace.activations[l - 1]! : workspace.inputs, weight, rows, layer.inputs, layer.outputs);
      kernels.addRowVector(z, bias, rows, layer.outputs);
      this.activationForward(layer.activation, z, a, rows * layer.outputs);
    }
    return workspace.activations[spec.layers.length - 1]!.subarray(0, rows * spec.layers.at(-1)!.outputs);
  }

  private activationForward(kind: Activation, z: Float32Array, a: Float32Array, n: number): void {
    if (kind === "relu") this.kernels.relu(a, z, n);
    else if (kind === "identity") a.set(z.subarray(0, n));
    else activationForward(kind, z, a, n);
  }

  /**
   * dL/dz = dL/da · f'(z) for the activations other than relu, as activation.ts writes them (relu′ =
   * [z > 0], 0 at the kink, is the kernels' reluBackwardColumnSums, with the bias gradient).
   */
  private activationBackward(kind: Activation, z: Float32Array, gradA: Float32Array, gradZ: Float32Array, n: number): void {
    gradZ.fill(0, 0, n);
    // identity: dz = 0 + da, the same sum as activation.ts's loop (f32: -0 becomes +0), in the kernels.
    if (kind === "identity") return this.kernels.axpy(gradZ, 1, gradA, n);
    activationBackward(kind, z, gradA, gradZ, n);
  }

  private copyOut(arrays: readonly Float32Array[]): ParamList {
    return paramShapes(this.spec).map(({ name, shape }, t) => {
      const data = allocFloat("float32", arrays[t]!.length);
      data.set(arrays[t]!);
      return { name, shape, data };
    });
  }

  private setParamsNow(params: ParamList): void {
    checkParamList(this.spec, params);
    params.forEach((param, t) => this.params[t]!.set(param.data));
  }

  private checkAlive(): void {
    if (this.disposed) throw new Error("this manual-backend model was disposed");
  }
}
