import { existsSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { describeExpectation } from "@crossprop/run";
import { escapeHtml as e } from "./escape.ts";
import { renderSvg } from "./render-svg.ts";
import { provenanceRows, table } from "./run-header.ts";
import { REPORT_FILE, STYLE, writeHtmlFile } from "./run-report.ts";
import { fourDigits, gridHeatmap, objectiveChart, paramText, parameterPanel } from "./sweep-charts.ts";
import { readSweepResults, TRIAL_ID, type SweepResultsFile, type SweepTrial } from "./sweep-results-file.ts";

export const SWEEP_REPORT_FILE = "results.html";

/**
 * results.html of a sweep directory: the objective per trial, the best marked, a link to each
 * trial's report. `out` is where the page will be written: its links are relative to it.
 */
export async function sweepReportHtml(dir: string, out = join(dir, SWEEP_REPORT_FILE)): Promise<string> {
  const results = readSweepResults(dir);
  const link = trialLinker(dir, out);
  const chart = async (id: string, spec: Parameters<typeof renderSvg>[0]) => `<figure class="chart" id="${id}">${await renderSvg(spec)}</figure>`;
  const perTrial = objectiveChart(results);
  const missing = results.trials.length - results.trials.filter((t) => t.objective !== null).length;
  const objectiveSection = perTrial
    ? `${await chart("objective", perTrial)}${missing > 0 ? `<p>${missing} trial(s) without a ${e(results.objective.metric)} (diverged, failed or not run) are written at the bottom of the chart, by status.</p>` : ""}`
    : `<p>No trial has a ${e(results.objective.metric)}: none completed (see the table).</p>`;
  const heatmap = perTrial ? gridHeatmap(results) : null;
  let bySection = "";
  if (heatmap) {
    bySection = `<section id="grid"><h2>the grid</h2>${await chart("heatmap", heatmap)}</section>`;
  } else if (perTrial && results.plan.paths.length > 0) {
    const panels: string[] = [];
    for (const [i, path] of results.plan.paths.entries()) panels.push(await chart(`param-${i + 1}`, parameterPanel(results, path)));
    bySection = `<section id="parameters"><h2>${e(results.objective.metric)} against each swept parameter</h2>${panels.join("")}</section>`;
  }
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(results.name)} · sweep · crossprop sweep report</title>
<style>${STYLE}${SWEEP_STYLE}</style>
</head>
<body>
${headerHtml(results, link)}
<main>
<section id="objective-per-trial"><h2>${e(results.objective.metric)} per trial</h2>${objectiveSection}</section>
${bySection}
<section id="trials"><h2>trials, best first</h2>${trialsTable(results, link)}</section>
</main>
</body>
</html>
`;
}

/** Builds results.html of the sweep in `dir` and writes it to `out` (default SWEEP_DIR/results.html). */
export async function writeSweepReport(dir: string, out = join(dir, SWEEP_REPORT_FILE)): Promise<string> {
  writeHtmlFile(out, await sweepReportHtml(dir, out));
  return out;
}

const SWEEP_STYLE = `
.trials td, .trials th { padding: 2px 10px 2px 0; font-variant-numeric: tabular-nums; } .trials tr.best td { background: #fff4e5; font-weight: 600; }
.status.failed, .status.not_run { color: #9a6700; } .error { color: #666; font-size: 12px; max-width: 36em; }
`;

function headerHtml(results: SweepResultsFile, trialLink: TrialLink): string {
  const { counts, objective, best, run } = results;
  const scope = results.shard ? ` · shard ${results.shard.index}/${results.shard.count} (its best is not the sweep's)` : "";
  const bestTrial = best ? results.trials.find((t) => t.index === best.index) : undefined;
  const rows: [string, string][] = [
    ["outcome", `<span class="${results.passed ? "pass" : "fail"}">${results.passed ? "✓ passed" : "✗ did not pass"}</span> · ${e(counts.passed)} of ${e(counts.trials)} trials passed`],
    ["trials", `${e(counts.completed)} completed · ${e(counts.diverged)} diverged · ${e(counts.failed)} failed · ${e(counts.not_run)} not run`],
    ["plan", `${e(results.plan.shape)}, ${e(results.plan.size)} trials${results.plan.duplicates > 0 ? ` (${e(results.plan.duplicates)} duplicate points run once)` : ""} · hash <code>${e(results.plan.hash)}</code>${e(scope)}`],
    ["swept", results.plan.paths.length === 0 ? "nothing" : results.plan.paths.map((p) => `<code>${e(p)}</code>`).join(", ")],
    ["objective", `${e(objective.metric)}, ${objective.goal === "max" ? "highest" : "lowest"} is best`],
    ["best", best && bestTrial ? `<strong>${e(fourDigits(best.value))}</strong>, trial #${e(best.index)} ${trialLink(bestTrial)} ${e(paramsText(results, bestTrial))}` : `no trial has a ${e(objective.metric)}`],
    ["config file", `<code>${e(results.config_file)}</code>`],
    [run.kind === "merge" ? "merged" : "run", `${e(run.started_at)} · ${e(run.wall_seconds.toFixed(1))} s${run.workers === null ? "" : ` · ${e(run.workers)} worker(s)`}${run.merged_from.length > 0 ? ` · from ${run.merged_from.map((d) => `<code>${e(d)}</code>`).join(", ")}` : ""}`],
  ];
  const expectBest = results.best_expectations.length === 0
    ? ""
    : `<h2>expect_best</h2><ul class="expectations">${results.best_expectations.map((x) => `<li class="${x.passed ? "pass" : "fail"}">${e(describeExpectation(x))}</li>`).join("")}</ul>`;
  const provenance = run.provenance ? `<details><summary>provenance</summary>${table(provenanceRows(run.provenance))}</details>` : "";
  return `<header>
<h1>sweep ${e(results.name)}</h1>
${table(rows)}
${expectBest}
${provenance}
</header>`;
}

/** Every trial best first (then those without an objective, in plan order), each linking to its report.html. */
function trialsTable(results: SweepResultsFile, trialLink: TrialLink): string {
  const metrics = ["valid_accuracy", "valid_loss", "train_loss"] as const;
  const ordered = [...results.trials].sort((a, b) => (a.rank ?? Infinity) - (b.rank ?? Infinity) || a.index - b.index);
  const head = ["rank", "#", "trial", ...results.plan.paths, "status", ...metrics, "expect", "s", "error"];
  const rows = ordered.map((t) => {
    const cells = [
      t.rank === null ? "–" : e(t.rank),
      e(t.index),
      trialLink(t),
      ...results.plan.paths.map((p) => (p in t.params ? e(paramText(t.params[p])) : "")),
      `<span class="status ${e(t.status)}">${e(t.status === "not_run" ? "not run" : t.status)}</span>`,
      ...metrics.map((m) => (t.metrics[m] === null || t.metrics[m] === undefined ? "–" : e(fourDigits(t.metrics[m]!)))),
      t.status !== "completed" ? "–" : t.passed ? `<span class="pass">✓</span>` : `<span class="fail">✗</span>`,
      t.timings.wall_seconds === null ? "–" : e(t.timings.wall_seconds.toFixed(1)),
      t.error ? `<span class="error">${e(t.error.split("\n")[0])}</span>` : "",
    ];
    return `<tr${results.best?.index === t.index ? ` class="best"` : ""}>${cells.map((c) => `<td>${c}</td>`).join("")}</tr>`;
  });
  return `<table class="trials"><thead><tr>${head.map((h) => `<th>${e(h)}</th>`).join("")}</tr></thead><tbody>${rows.join("")}</tbody></table>`;
}

/** A trial's id as HTML: a link to its report.html, or the bare id. */
type TrialLink = (trial: SweepTrial) => string;

/**
 * The trial's id, linking to its trials/<id>/report.html when that page exists (a sweep run with
 * --no-report, or a trial that failed, has none) — `trials/<id>/report.html` from the sweep
 * directory, relative from elsewhere. Built from the id alone, never from a path in the file.
 */
function trialLinker(dir: string, out: string): TrialLink {
  const base = dirname(resolve(out));
  return (trial) => {
    if (!TRIAL_ID.test(trial.id)) return `<code>${e(trial.id)}</code>`;
    const page = resolve(dir, "trials", trial.id, REPORT_FILE);
    if (!existsSync(page)) return `<code>${trial.id}</code>`;
    const href = relative(base, page).split(sep).map(encodeURIComponent).join("/");
    return `<a href="${e(href)}"><code>${trial.id}</code></a>`;
  };
}

function paramsText(results: SweepResultsFile, trial: SweepTrial): string {
  return results.plan.paths.filter((p) => p in trial.params).map((p) => `${p}=${paramText(trial.params[p])}`).join(" ");
}
