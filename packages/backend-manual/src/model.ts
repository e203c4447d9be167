import {
  allocFloat,
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
import { activationBackward, activationForward } from "./activation.ts";
import { createOptimizer } from "./create-optimizer.ts";
import { passIntermediates } from "./intermediates.ts";
import { Dense } from "./dense.ts";
import { createLoss, type LossFunction } from "./loss.ts";
import type { Optimizer } from "./optimizer.ts";
import { exportOptimizerState, importOptimizerState } from "./optimizer-state.ts";
import { WorkspaceCache, type Workspace } from "./workspace.ts";

/** predict() runs at most this many rows at once, so evaluating a whole split needs no huge buffers. */
const PREDICT_CHUNK_ROWS = 1024;

/**
 * An MLP with hand-written forward and backward passes over typed arrays of spec.dtype. The spec has
 * passed core's checkSpec (layers chain, widths positive, a binary loss has one output), so nothing
 * here re-checks it.
 */
export class ManualModel implements Model {
  readonly engine = "typescript";
  private readonly layers: Dense[];
  private readonly activationKinds: Activation[];
  private readonly loss: LossFunction;
  private readonly optimizer: Optimizer;
  private readonly stateShapes: StateShape[];
  private readonly workspaces: WorkspaceCache;
  /** weight, bias, weight, bias, ... and their gradients: ParamList order. */
  private readonly paramArrays: FloatArray[];
  private readonly gradientArrays: FloatArray[];
  private disposed = false;

  constructor(
    private readonly spec: ModelSpec,
    initial: ParamList,
    optimizer: OptimizerSpec,
  ) {
    const outputs = spec.layers[spec.layers.length - 1]!.outputs;
    this.loss = createLoss(spec.loss, outputs);
    this.layers = spec.layers.map((layer) => new Dense(layer.inputs, layer.outputs, spec.dtype));
    this.activationKinds = spec.layers.map((layer) => layer.activation);
    this.paramArrays = this.layers.flatMap((layer) => [layer.weight, layer.bias]);
    this.optimizer = createOptimizer(optimizer, this.paramArrays.map((param) => param.length), spec.dtype);
    this.stateShapes = optimizerStateShapes(spec, optimizer);
    this.gradientArrays = this.layers.flatMap((layer) => [layer.gradWeight, layer.gradBias]);
    this.workspaces = new WorkspaceCache(spec.layers, spec.dtype);
    this.copyIn(initial);
  }

  async lossAndGradients(batch: Batch): Promise<LossAndGradients> {
    const loss = this.forwardBackward(batch);
    return { loss, gradients: this.copyOut(this.gradientArrays) };
  }

  /** The pass's per-layer tensors (core's intermediateShapes), from the workspace the pass filled. */
  async intermediates(batch: Batch): Promise<ParamList> {
    this.forwardBackward(batch);
    return passIntermediates(this.spec, batch.size, this.workspaces.get(batch.size));
  }

  /** Only trainStep advances the optimizer (its moments and step count); lossAndGradients never does. */
  async trainStep(batch: Batch, lr: number): Promise<number> {
    const loss = this.forwardBackward(batch);
    this.optimizer.step(this.paramArrays, this.gradientArrays, lr);
    return loss;
  }

  async predict(inputs: FloatArray, count: number): Promise<FloatArray> {
    this.checkAlive();
    checkRows(inputs, count, this.spec.inputs, "predict", 0);
    const width = this.layers[this.layers.length - 1]!.outputs;
    const result = allocFloat(this.spec.dtype, count * width);
    for (let first = 0; first < count; first += PREDICT_CHUNK_ROWS) {
      const rows = Math.min(PREDICT_CHUNK_ROWS, count - first);
      const chunk = inputs.subarray(first * this.spec.inputs, (first + rows) * this.spec.inputs);
      const outputs = this.forward(chunk, rows, this.workspaces.get(rows));
      result.set(outputs, first * width);
    }
    return result;
  }

  async getParams(): Promise<ParamList> {
    this.checkAlive();
    return this.copyOut(this.paramArrays);
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
    this.copyIn(params);
  }

  dispose(): void {
    this.disposed = true;
    this.workspaces.clear();
  }

  /** Runs the batch forward, then backward from the loss into every layer's gradients. */
  private forwardBackward(batch: Batch): number {
    this.checkAlive();
    const rows = batch.size;
    checkRows(batch.inputs, rows, this.spec.inputs, "batch", 1);
    const workspace = this.workspaces.get(rows);
    const outputs = this.forward(batch.inputs, rows, workspace);
    const last = this.layers.length - 1;
    workspace.gradActivations[last]!.fill(0);
    const loss = this.loss(outputs, batch, workspace.gradActivations[last]!);
    for (let l = last; l >= 0; l--) {
      const layer = this.layers[l]!;
      const gradPreactivations = workspace.gradPreactivations[l]!;
      gradPreactivations.fill(0);
      activationBackward(
        this.activationKinds[l]!,
        workspace.preactivations[l]!,
        workspace.gradActivations[l]!,
        gradPreactivations,
        rows * layer.outputs,
      );
      const columns = workspace.inputColumns[l]!;
      columns.build(workspace.inputRows[l]!);
      // The first layer's inputs are data: their gradient is never needed.
      const gradInputs = l === 0 ? null : workspace.gradActivations[l - 1]!;
      gradInputs?.fill(0);
      layer.zeroGradients();
      layer.backward(columns, gradPreactivations, gradInputs);
    }
    return loss;
  }

  /** The last layer's activations for `rows` rows of `inputs`, in the workspace's buffer. */
  private forward(inputs: FloatArray, rows: number, workspace: Workspace): FloatArray {
    let layerInputs = inputs;
    for (let l = 0; l < this.layers.length; l++) {
      const layer = this.layers[l]!;
      const preactivations = workspace.preactivations[l]!;
      const activations = workspace.activations[l]!;
      const inputRows = workspace.inputRows[l]!;
      inputRows.build(layerInputs, rows);
      layer.forward(inputRows, preactivations);
      activationForward(this.activationKinds[l]!, preactivations, activations, rows * layer.outputs);
      layerInputs = activations;
    }
    return layerInputs;
  }

  private copyOut(arrays: readonly FloatArray[]): ParamList {
    return paramShapes(this.spec).map(({ name, shape }, t) => {
      const data = allocFloat(this.spec.dtype, arrays[t]!.length);
      data.set(arrays[t]!);
      return { name, shape, data };
    });
  }

  /** Copies `params` into the model after checking their names, shapes and lengths. */
  private copyIn(params: ParamList): void {
    checkParamList(this.spec, params);
    params.forEach((param, t) => this.paramArrays[t]!.set(param.data));
  }

  private checkAlive(): void {
    if (this.disposed) throw new Error("this manual-backend model was disposed");
  }
}

function checkRows(inputs: FloatArray, rows: number, features: number, what: string, minRows: number): void {
  if (!Number.isInteger(rows) || rows < minRows) throw new Error(`${what} needs an integer row count ≥ ${minRows}, got ${rows}`);
  if (inputs.length < rows * features) {
    throw new Error(`${what} inputs hold ${inputs.length} values, ${rows} rows of ${features} need ${rows * features}`);
  }
}
