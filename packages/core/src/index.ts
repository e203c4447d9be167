export type { Backend, LossAndGradients, Model } from "./backend.ts";
export { ALL_ACTIVATIONS, ALL_DTYPES, ALL_LOSSES, ALL_OPTIMIZERS, type BackendSupport } from "./support.ts";
export { checkSpec, SpecError, supportIssues, type SpecIssue } from "./spec-checks.ts";
export { epochRows, trainingSteps, type StepPlan, type TrainingStep } from "./training-steps.ts";
export { DATASETS, loadDataset } from "./datasets.ts";
export type { ByteStorage } from "./byte-storage.ts";
export { writeFileAtomic } from "./atomic-write.ts";
export { fileKind } from "./file-kind.ts";
export type { Batch, PixelRows } from "./batch.ts";
export { BatchMaker, stepsPerEpoch, type TargetEncoding } from "./batches.ts";
export { UserError } from "./errors.ts";
export { EventLoopYield, InterruptedError, signalExitCode, stopSignalName, type StopSignal, type StopSignalName } from "./interrupt.ts";
export { OPTIMIZER_STEP, optimizerStateArrays, optimizerStateShapes, stateEntry, type StateShape } from "./optimizer-state.ts";
export { compareArrays, relativeDifference, unravelIndex, type ArrayDiff, type Tolerance } from "./compare.ts";
export { datasetDigest } from "./digest.ts";
export { inputsOf, type Dataset, type Examples } from "./examples.ts";
export * from "./gradcheck.ts";
export { initParams, type InitSpec, type InitType, type ModelInit } from "./init.ts";
export { evaluate, EVALUATION_ROWS, LossMeter, type Evaluation } from "./metrics.ts";
export { predictExamples, predictionsCsv, type ClassPredictions, type Predictions, type ValuePredictions } from "./predictions.ts";
export { displayWidth, fitColumns, tableOverhead, textWidth, wrapText, wrapWords, type FitOptions, type FittedTable } from "./fit-columns.ts";
export {
  defaultMemoryLimitBytes,
  describeEstimate,
  estimateMemory,
  formatBytes,
  MAX_TYPED_ARRAY_ELEMENTS,
  type MemoryEstimate,
  type MemoryShape,
} from "./memory-estimate.ts";
export { FASHION_MNIST_DIR, loadMnist } from "./mnist.ts";
export {
  allocFloat,
  biasName,
  checkParamList,
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
export { ReferenceForward } from "./reference-forward.ts";
export { intermediateShapes, type IntermediateShape } from "./intermediates.ts";
export { referenceIntermediates } from "./reference-intermediates.ts";
export { Rng } from "./rng.ts";
export { learningRate, type ScheduleSpec } from "./schedule.ts";
export { decodeSafetensors, encodeSafetensors } from "./safetensors.ts";
export { makeSplit } from "./split.ts";
