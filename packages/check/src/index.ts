export { CHECK_REPORT_VERSION, checkReportJson, checkReportText, type CheckReportHeader } from "./check-report.ts";
export { crossCheck, type CheckOptions, type CheckResult, type Divergence, type StepLosses, type TensorRow } from "./cross-check.ts";
export type { NumericalRow } from "./numerical.ts";
export { QUANTITIES, stepFigures, type PairFigure, type Quantity, type StepFigures } from "./step-figures.ts";
export { backendTolerance, numericalTolerance } from "./tolerances.ts";
export { blameByAgreement, firstDifference, type Blame } from "./blame.ts";
