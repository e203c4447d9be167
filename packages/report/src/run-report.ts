import { join } from "node:path";
import { writeFileAtomic } from "@crossprop/core";
import { writingTo } from "@crossprop/run";
import { escapeHtml as e } from "./escape.ts";
import { accuracyChart, evaluationLossChart, stepLossChart } from "./run-charts.ts";
import { runHeaderHtml } from "./run-header.ts";
import { modelSectionsHtml, SECTIONS_STYLE, type RunPageOptions } from "./run-sections.ts";
import { readRunFiles, type RunFiles } from "./run-files.ts";
import { renderSvg } from "./render-svg.ts";

export const REPORT_FILE = "report.html";

/** The report of a run as one self-contained HTML page: inline CSS and SVG, no script, no URL. */
export async function runReportHtml(files: RunFiles, options: RunPageOptions = {}): Promise<string> {
  const { summary, evaluations, steps } = files;
  const chart = async (id: string, spec: Parameters<typeof renderSvg>[0]) => `<figure class="chart" id="${id}">${await renderSvg(spec)}</figure>`;
  const evaluationCharts = evaluations.length === 0
    ? "<p>no evaluations recorded (metrics.jsonl is empty or absent)</p>"
    : (await chart("evaluation-loss", evaluationLossChart(evaluations))) + (await chart("valid-accuracy", accuracyChart(evaluations)));
  const stepCharts = steps.length === 0
    ? "<p>no steps recorded (steps.jsonl is empty or absent)</p>"
    : (await chart("step-loss", stepLossChart(steps, false))) + (await chart("step-loss-log", stepLossChart(steps, true)));
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(summary.name)} · ${e(summary.backend)} · crossprop run report</title>
<style>${STYLE}${SECTIONS_STYLE}</style>
</head>
<body>
${runHeaderHtml(summary, files.resolvedConfig)}
<main>
<section id="evaluations"><h2>per evaluation</h2>${evaluationCharts}</section>
<section id="steps"><h2>per step</h2>${stepCharts}</section>
${await modelSectionsHtml(files, options)}
</main>
</body>
</html>
`;
}

/** Builds the report of the run in `dir` and writes it to `out` (default RUN_DIR/report.html). */
export async function writeRunReport(dir: string, out = join(dir, REPORT_FILE), options: RunPageOptions = {}): Promise<string> {
  writeHtmlFile(out, await runReportHtml(readRunFiles(dir), options));
  return out;
}

/** Writes `html` to `out` whole (core's temporary sibling + rename); an I/O error names `out` (exit 1). */
export function writeHtmlFile(out: string, html: string): void {
  writingTo(out, () => writeFileAtomic(out, html));
}

/** The CSS every crossprop page shares (run, comparison, two-run pages). */
export const STYLE = `
body { font: 14px/1.45 system-ui, sans-serif; margin: 2em auto; max-width: 1200px; padding: 0 1em; color: #222; }
h1 { margin-bottom: 0.3em; } h2 { font-size: 1.1em; margin: 1.2em 0 0.4em; }
table { border-collapse: collapse; } th, td { text-align: left; padding: 2px 12px 2px 0; vertical-align: top; }
th { font-weight: 600; color: #555; white-space: nowrap; }
code, pre { font: 12px/1.4 ui-monospace, monospace; } pre { background: #f6f6f6; padding: 1em; overflow: auto; }
.expectations { list-style: none; padding: 0; } .pass { color: #1a7f37; } .fail { color: #cf222e; }
.status.completed { color: #1a7f37; } .status.diverged { color: #cf222e; }
.chart { display: inline-block; margin: 0 1em 1em 0; }
details { margin-top: 1em; } summary { cursor: pointer; font-weight: 600; }
`;
