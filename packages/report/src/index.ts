export { escapeHtml } from "./escape.ts";
export { readJsonLines, readRunFiles, type EvaluationLine, type RunFiles, type StepLine } from "./run-files.ts";
export { renderSvg } from "./render-svg.ts";
export { accuracyChart, evaluationLossChart, stepLossChart } from "./run-charts.ts";
export { emaSmooth, smoothingWeight } from "./smoothing.ts";
export { REPORT_FILE, runReportHtml, writeHtmlFile, writeRunReport } from "./run-report.ts";
