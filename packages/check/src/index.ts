export { checkReportJson, checkReportText, type CheckReportHeader } from "./check-report.ts";
export { crossCheck, type CheckOptions, type CheckResult, type Divergence, type StepLosses, type TensorRow } from "./cross-check.ts";
export type { NumericalRow } from "./numerical.ts";
export { backendTolerance, numericalTolerance } from "./tolerances.ts";
