export { checkExpectations, describeExpectation, type ExpectationResult } from "./expectations.ts";
export { ioReason, isIoError, OutputWriteError, prepareDirectory, prepareFile, writingTo } from "./output-path.ts";
export { RUN_FILES, RunDirectory } from "./run-dir.ts";
export { LOCK_FILE } from "./run-lock.ts";
export { runToDirectory, type RunOutcome } from "./run-to-directory.ts";
export { peakRssMb, readRunSummary, type FinishedRunSummary, type RunSummary } from "./summary.ts";
export { DivergenceError, median, train, type EpochRecord, type StepEvent, type TrainHistory, type TrainObserver, type TrainResult, type TrainStart } from "./train.ts";
