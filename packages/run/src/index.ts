export { checkExpectations, describeExpectation, type ExpectationResult } from "./expectations.ts";
export { RunDirectory } from "./run-dir.ts";
export { runToDirectory, type RunOutcome } from "./run-to-directory.ts";
export { peakRssMb, readRunSummary, type RunSummary } from "./summary.ts";
export { DivergenceError, median, train, type EpochRecord, type StepEvent, type TrainHistory, type TrainObserver, type TrainResult, type TrainStart } from "./train.ts";
