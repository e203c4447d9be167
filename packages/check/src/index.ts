export { checkReportJson, checkReportText, CHECK_REPORT_VERSION, type CheckReportHeader } from "./check-report.ts";
export { crossCheck, type CheckOptions, type CheckResult, type Divergence, type StepLosses, type TensorRow } from "./cross-check.ts";
export { numericalGradientCheck, type NumericalRow } from "./numerical.ts";
export { backendTolerance, numericalTolerance, pairTolerance, type PairTolerance, type ToleranceOverride } from "./tolerances.ts";
