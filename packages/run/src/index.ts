export { checkExpectations, describeExpectation, describeUnchecked, type ExpectationResult } from "./expectations.ts";
export { ioReason, isIoError, OutputWriteError, prepareDirectory, prepareFile, writingTo } from "./output-path.ts";
export { gitState, provenance, type GitState, type Invocation, type Provenance, type ProvenanceInput } from "./provenance.ts";
export { RUN_FILES, RunDirectory } from "./run-dir.ts";
export { LOCK_FILE } from "./run-lock.ts";
export { CHECKPOINT_FILE, CHECKPOINT_TENSORS, checkpointPosition, type CheckpointRecord } from "./checkpoint.ts";
export { runToDirectory, type RunOutcome, type RunToDirectoryOptions } from "./run-to-directory.ts";
export { peakRssMb, readRunSummary, type FinishedRunSummary, type RunSummary } from "./summary.ts";
export { DivergenceError, median, train, TrainInterrupted, type TrainCheckpoint, type TrainOptions, type EpochRecord, type StepEvent, type TrainHistory, type TrainObserver, type TrainResult, type TrainStart } from "./train.ts";
