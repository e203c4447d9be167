import { existsSync } from "node:fs";
import { basename, dirname, join, relative, resolve, sep } from "node:path";
import { configDifferencesHtml } from "./config-differences.ts";
import { escapeHtml as e } from "./escape.ts";
import { finalMetricsTable } from "./final-metrics-table.ts";
import type { NamedRun } from "./overlay-charts.ts";
import { differenceCharts, evaluationCharts, stepCharts } from "./overlay-sections.ts";
import { htmlPage } from "./page.ts";
import { readRunFiles, type RunFiles } from "./run-files.ts";
import { REPORT_FILE } from "./run-report.ts";

/**
 * `crossprop report RUN_A RUN_B`: both runs' curves overlaid (and B's loss minus A's per step), their
 * final metrics side by side, and every leaf of config.resolved.yaml in which they differ. With
 * `out` (where the page goes), each run's report.html is linked relative to it.
 */
export async function twoRunsReportHtml(a: string, b: string, out?: string): Promise<string> {
  const files = [readRunFiles(a), readRunFiles(b)] as const;
  const [nameA, nameB] = runNames(files[0], files[1]);
  const runs: NamedRun[] = [
    { name: nameA, evaluations: files[0].evaluations, steps: files[0].steps },
    { name: nameB, evaluations: files[1].evaluations, steps: files[1].steps },
  ];
  const header = `<header>
<h1>${e(nameA)} vs ${e(nameB)}</h1>
<table class="final-metrics">
<thead><tr><th></th><th>${e(nameA)}</th><th>${e(nameB)}</th></tr></thead>
<tbody>
${row("run directory", files, (f) => `<code>${e(f.dir)}</code>`)}
${row("config", files, (f) => `${e(f.summary.name)} (${e(f.summary.config_file)})`)}
${row("backend", files, (f) => `${e(f.summary.backend)}${f.summary.engine ? ` (${e(f.summary.engine)})` : ""}`)}
${row("seed", files, (f) => e(f.summary.seed))}
${row("data", files, (f) => `${e(f.summary.data.dataset)} · ${e(f.summary.data.train_examples)} train · ${e(f.summary.data.valid_examples)} validation`)}
${row("data sha256", files, (f) => `<code>${e(f.summary.data.sha256.slice(0, 16))}…</code>`)}
${row("report", files, (f) => reportLink(f, out))}
</tbody></table>
${files[0].summary.data.sha256 === files[1].summary.data.sha256 ? "<p>Both runs trained and were evaluated on the same bytes.</p>" : `<p class="fail">The runs' data differ (sha256): their curves are of different examples.</p>`}
<h2>final metrics</h2>
${finalMetricsTable([{ name: nameA, summary: files[0].summary }, { name: nameB, summary: files[1].summary }])}
<h2>config differences (${e(nameA)} → ${e(nameB)})</h2>
${configSection(files[0], files[1])}
</header>`;
  const main = `<main>
<section id="evaluations"><h2>per evaluation</h2>${await evaluationCharts(runs)}</section>
<section id="steps"><h2>per step</h2>${await stepCharts(runs)}</section>
<section id="differences"><h2>loss difference per step, ${e(nameB)} vs ${e(nameA)}</h2>${await differenceCharts(runs[0]!, [runs[1]!])}</section>
</main>`;
  return htmlPage(`${nameA} vs ${nameB} · crossprop two-run report`, `${header}\n${main}`);
}

/**
 * The two runs' names on the page: their directory names; when those are the same (two comparisons'
 * `manual/`), their backends if those differ, else the parent directory too; "(A)"/"(B)" as a last resort.
 */
export function runNames(a: Pick<RunFiles, "dir" | "summary">, b: Pick<RunFiles, "dir" | "summary">): [string, string] {
  const candidates: [string, string][] = [
    [basename(resolve(a.dir)), basename(resolve(b.dir))],
    [a.summary.backend, b.summary.backend],
    [join(basename(dirname(resolve(a.dir))), basename(resolve(a.dir))), join(basename(dirname(resolve(b.dir))), basename(resolve(b.dir)))],
  ];
  const distinct = candidates.find(([x, y]) => x !== y);
  if (distinct) return distinct;
  const [x] = candidates[0]!;
  return [`${x} (A)`, `${x} (B)`];
}

/** The default page of `crossprop report RUN_A RUN_B`: compare-A-vs-B.html in the current directory (a run's directory belongs to its run). */
export function twoRunsReportFile(a: string, b: string): string {
  const names = [basename(resolve(a)), basename(resolve(b))];
  return `compare-${names[0]}-vs-${names[1]}.html`;
}

function row(label: string, files: readonly [RunFiles, RunFiles], cell: (f: RunFiles) => string): string {
  return `<tr><th>${e(label)}</th><td>${cell(files[0])}</td><td>${cell(files[1])}</td></tr>`;
}

function configSection(a: RunFiles, b: RunFiles): string {
  const missing = [a, b].filter((f) => f.resolvedConfig === null).map((f) => f.dir);
  if (missing.length > 0) return `<p>not compared: no config.resolved.yaml in ${missing.map((dir) => e(dir)).join(" and ")}</p>`;
  const listed = configDifferencesHtml(a.resolvedConfig!, b.resolvedConfig!);
  if ("reason" in listed) return `<p>not compared: ${e(listed.reason)}</p>`;
  if (listed.items.length === 0) return "<p>none: both config.resolved.yaml files hold the same values</p>";
  return `<ul class="config-differences">${listed.items.join("")}</ul>`;
}

/** A link to the run's report.html, relative to the page; without a page location or a report, the command that builds one. */
function reportLink(files: RunFiles, out: string | undefined): string {
  const report = join(files.dir, REPORT_FILE);
  if (out === undefined || !existsSync(report)) return `<code>crossprop report ${e(files.dir)}</code>`;
  const href = relative(dirname(resolve(out)), resolve(report)).split(sep).map(encodeURIComponent).join("/");
  return `<a href="${e(href)}">${e(REPORT_FILE)}</a>`;
}
