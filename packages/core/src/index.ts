export type { Backend, LossAndGradients, Model } from "./backend.ts";
export type { Batch } from "./batch.ts";
export { UserError } from "./errors.ts";
export { initParams, standardDeviation, type InitSpec, type InitType, type ModelInit } from "./init.ts";
export {
  allocFloat,
  biasName,
  cloneParams,
  mlpLayers,
  paramShapes,
  weightName,
  type Activation,
  type DType,
  type FloatArray,
  type LayerSpec,
  type LossSpec,
  type LossType,
  type ModelSpec,
  type NamedTensor,
  type OptimizerSpec,
  type OptimizerType,
  type ParamList,
  type Reduction,
} from "./model-spec.ts";
export { Rng } from "./rng.ts";
