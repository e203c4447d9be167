import type { Batch } from "./batch.ts";
import type { FloatArray, ModelSpec, OptimizerSpec, ParamList } from "./model-spec.ts";
import type { BackendSupport } from "./support.ts";

/**
 * The one contract every backend implements. Everything that is not a backend's own math
 * (init, data, batch order, lr schedule, metrics) lives in core and is handed in, so every
 * backend starts from identical bytes.
 */
export interface Backend {
  readonly name: string;
  /** What it computes (dtypes, activations, losses, optimizers, engines); core checks a spec against it first. */
  readonly supports: BackendSupport;
  /** Builds a model holding copies of `initial` (never aliases them); the spec has passed core's checkSpec. */
  createModel(spec: ModelSpec, initial: ParamList, optimizer: OptimizerSpec): Promise<Model>;
}

export interface LossAndGradients {
  loss: number;
  /** d(loss)/d(parameter), same names, shapes and order as the parameters. */
  gradients: ParamList;
}

export interface Model {
  /** What actually computes, for reports: e.g. "typescript", "tfjs-wasm". */
  readonly engine: string;
  /** Threads it computes on (absent = 1); results must not depend on it. */
  readonly threads?: number;
  /** The loss of a batch and its gradients, without changing the parameters. */
  lossAndGradients(batch: Batch): Promise<LossAndGradients>;
  /** One optimizer step at learning rate `lr`; returns the batch loss before the update. */
  trainStep(batch: Batch, lr: number): Promise<number>;
  /** The output layer's values ([count, outputs]; logits when the output activation is identity). */
  predict(inputs: FloatArray, count: number): Promise<FloatArray>;
  /**
   * predict(batch.inputs, batch.size) with the same bytes out, for a batch core made (evaluation's):
   * a backend that reads `batch.pixels` spares core building the dense inputs. Optional.
   */
  predictBatch?(batch: Batch): Promise<FloatArray>;
  /** Copies of the current parameters, in ParamList order. */
  getParams(): Promise<ParamList>;
  setParams(params: ParamList): Promise<void>;
  /**
   * Copies of the optimizer's state (velocities, moments, step count; empty for plain SGD), so a
   * checkpoint can resume the run byte for byte. Names follow optimizerStateShapes (core), plus
   * any entries the backend's own arithmetic needs. Absent: the backend cannot resume runs.
   */
  getOptimizerState?(): Promise<ParamList>;
  /** Restores what getOptimizerState of a model of the same backend, spec and optimizer returned. */
  setOptimizerState?(state: ParamList): Promise<void>;
  /**
   * The per-layer tensors of one forward and backward pass over `batch` at the current parameters
   * (pre-activations, activations and the loss's gradients with respect to them), named and ordered
   * by core's intermediateShapes; the parameters and optimizer are left unchanged. Optional: `check`
   * compares them, when every backend has them, to name the first tensor a derivation gets wrong.
   */
  intermediates?(batch: Batch): Promise<ParamList>;
  /** Frees what the model holds (tensors, buffers); the model is unusable afterwards. */
  dispose(): void;
}
