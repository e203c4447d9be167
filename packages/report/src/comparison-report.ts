import { existsSync } from "node:fs";
import { join } from "node:path";
import { readComparison, type ComparedBackend } from "./comparison-files.ts";
import { configDifferencesHtml } from "./config-differences.ts";
import { escapeHtml as e } from "./escape.ts";
import { finalMetricsTable } from "./final-metrics-table.ts";
import type { NamedRun } from "./overlay-charts.ts";
import { differenceCharts, evaluationCharts, stepCharts } from "./overlay-sections.ts";
import { htmlPage } from "./page.ts";
import { REPORT_FILE, writeHtmlFile } from "./run-report.ts";

/**
 * The report of a comparison directory (`run --backend a,b,…`): every backend's curves overlaid, the
 * per-step loss difference of each from the first (signed, and |Δ| on a log scale), the final-metrics
 * table of comparison.txt, and a link to each backend's own report. A diverged backend's lines end
 * where it diverged.
 */
export async function comparisonReportHtml(dir: string): Promise<string> {
  const backends = readComparison(dir);
  const first = backends[0]!;
  const { summary } = first.files;
  const runs: NamedRun[] = backends.map((b) => ({ name: b.label, evaluations: b.files.evaluations, steps: b.files.steps }));
  const header = `<header>
<h1>${e(summary.name)} · ${backends.length} backends side by side</h1>
<table>
<tr><th>config file</th><td>${e(summary.config_file)}</td></tr>
<tr><th>seed</th><td>${e(summary.seed)}</td></tr>
<tr><th>data</th><td>${dataText(backends)}</td></tr>
</table>
<h2>final metrics</h2>
${finalMetricsTable(backends.map((b) => ({ name: b.label, summary: b.files.summary, divergedAtStep: b.divergedAtStep })))}
${errorsHtml(backends)}
<h2>each backend's report</h2>
<ul class="backend-reports">${backends.map(reportLink).join("")}</ul>
${configHtml(backends)}
</header>`;
  const main = `<main>
<section id="evaluations"><h2>per evaluation</h2>${await evaluationCharts(runs)}</section>
<section id="steps"><h2>per step</h2>${await stepCharts(runs)}</section>
<section id="differences"><h2>loss difference per step, each backend vs ${e(first.label)}</h2>${await differenceCharts(runs[0]!, runs.slice(1))}</section>
</main>`;
  return htmlPage(`${summary.name} · ${backends.map((b) => b.label).join(", ")} · crossprop comparison report`, `${header}\n${main}`);
}

/** The data every backend trained on; the same bytes unless a comparison was assembled by hand. */
function dataText(backends: readonly ComparedBackend[]): string {
  const { data } = backends[0]!.files.summary;
  const same = backends.every((b) => b.files.summary.data.sha256 === data.sha256);
  const text = `${e(data.dataset)} · ${e(data.split)} · ${e(data.train_examples)} train · ${e(data.valid_examples)} validation · sha256 <code>${e(data.sha256)}</code>`;
  return same ? `${text} (the same bytes for every backend)` : `${text} <span class="fail">— the backends' data differ: see each backend's report</span>`;
}

function errorsHtml(backends: readonly ComparedBackend[]): string {
  const lines = backends.flatMap((b) => [...(b.error ? [b.error] : []), ...b.files.summary.warnings].map((text) => `<li>${e(b.label)}: ${e(text)}</li>`));
  return lines.length === 0 ? "" : `<h2>errors and warnings</h2><ul class="warnings">${lines.join("")}</ul>`;
}

/** A relative link to the backend's report.html when it is there, else the command that builds it. */
function reportLink(backend: ComparedBackend): string {
  const dir = backend.files.dir;
  if (backend.relativeDir !== null && existsSync(join(dir, REPORT_FILE))) {
    return `<li><a href="${e(`${encodeURIComponent(backend.relativeDir)}/${REPORT_FILE}`)}">${e(backend.label)}</a> (${e(backend.relativeDir)}/${REPORT_FILE})</li>`;
  }
  return `<li>${e(backend.label)}: no report.html yet in ${e(dir)} — <code>crossprop report ${e(dir)}</code> builds it</li>`;
}

/** The first backend's resolved config, and how each other backend's differs from it (usually only backend:). */
function configHtml(backends: readonly ComparedBackend[]): string {
  const [first, ...others] = backends;
  const reference = first!.files.resolvedConfig;
  if (reference === null) return "";
  const items: string[] = [];
  for (const b of others) {
    if (b.files.resolvedConfig === null) continue;
    const listed = configDifferencesHtml(reference, b.files.resolvedConfig, b.label);
    items.push(...("items" in listed ? listed.items : [`<li>${e(b.label)}: not compared: ${e(listed.reason)}</li>`]));
  }
  const list = items.length === 0 ? "<p>every backend's config.resolved.yaml is the same</p>" : `<ul class="config-differences">${items.join("")}</ul>`;
  return `<h2>config differences from ${e(first!.label)}</h2>${list}
<details><summary>resolved config of ${e(first!.label)} (config.resolved.yaml)</summary><pre>${e(reference)}</pre></details>`;
}

/** Builds the report of the comparison in `dir` and writes it to `out` (default DIR/report.html); returns `out`. */
export async function writeComparisonReport(dir: string, out = join(dir, REPORT_FILE)): Promise<string> {
  writeHtmlFile(out, await comparisonReportHtml(dir));
  return out;
}
