import type { FinishedRunSummary, Provenance } from "@crossprop/run";
import { escapeHtml as e } from "./escape.ts";

/** The header of a run report: what ran, how it ended, against which bounds, on which data, made how. */
export function runHeaderHtml(summary: FinishedRunSummary, resolvedConfig: string | null): string {
  const engine = summary.engine ? ` (${summary.engine})` : "";
  const rows: [string, string][] = [
    ["backend", `${e(summary.backend)}${e(engine)}`],
    ["status", `<span class="status ${e(summary.status)}">${e(summary.status)}</span>${summary.passed ? " · passed" : ""}`],
    ["config file", e(summary.config_file)],
    ["seed", e(summary.seed)],
    ["epochs · steps · evaluations", `${e(summary.epochs)} · ${e(summary.steps)} · ${e(summary.evaluations)}`],
  ];
  if (summary.seconds_per_epoch !== null) rows.push(["s/epoch (median)", e(summary.seconds_per_epoch.toFixed(2))]);
  if (summary.samples_per_second !== null) rows.push(["samples/s", e(Math.round(summary.samples_per_second).toLocaleString("en-US"))]);
  return `<header>
<h1>${e(summary.name)}</h1>
${table(rows)}
<h2>final metrics</h2>
${table(Object.entries(summary.final).map(([metric, value]) => [e(metric), value === null ? "–" : e(Number(value.toPrecision(6)))]))}
${expectationsHtml(summary)}
${warningsHtml(summary)}
<h2>data</h2>
${table([
  ["dataset · split", `${e(summary.data.dataset)} · ${e(summary.data.split)}`],
  ["examples", `${e(summary.data.train_examples)} train · ${e(summary.data.valid_examples)} validation`],
  ["sha256 (bytes trained and evaluated on)", `<code>${e(summary.data.sha256)}</code>`],
])}
${provenanceHtml(summary)}
${resolvedConfig === null ? "" : `<details><summary>resolved config (config.resolved.yaml)</summary><pre>${e(resolvedConfig)}</pre></details>`}
</header>`;
}

function expectationsHtml(summary: FinishedRunSummary): string {
  if (summary.expectations.length === 0) return `<h2>expectations</h2><p>none (the config has no expect: bounds)</p>`;
  const items = summary.expectations.map((x) => {
    const value = x.value === null ? "missing" : String(Number(x.value.toPrecision(6)));
    const bound = x.bound === "atol" ? `within ${x.threshold} of the given values` : `${x.bound === "min" ? "≥" : "≤"} ${x.threshold}`;
    return `<li class="${x.passed ? "pass" : "fail"}">${x.passed ? "✓" : "✗"} ${e(x.metric)} ${e(bound)}: got ${e(value)}</li>`;
  });
  return `<h2>expectations</h2><ul class="expectations">${items.join("")}</ul>`;
}

function warningsHtml(summary: FinishedRunSummary): string {
  const all = [...(summary.error ? [summary.error] : []), ...summary.warnings];
  return all.length === 0 ? "" : `<h2>warnings</h2><ul class="warnings">${all.map((w) => `<li>${e(w)}</li>`).join("")}</ul>`;
}

function provenanceHtml(summary: FinishedRunSummary): string {
  const p = summary.provenance;
  const versions = Object.entries(summary.versions).map(([name, version]) => `${e(name)} ${e(version)}`).join(" · ");
  const rows: [string, string][] = [["versions", versions]];
  if (p) rows.push(...provenanceRows(p));
  return `<h2>provenance</h2>${table(rows)}`;
}

/** How a result was made (a run's, a check's), as rows of escaped HTML for table(). */
export function provenanceRows(p: Provenance): [string, string][] {
  const rows: [string, string][] = [];
  if (p.command) rows.push(["command", `<code>crossprop ${e(p.command.argv.join(" "))}</code> in <code>${e(p.command.cwd)}</code>`]);
  rows.push(["started · finished (UTC)", `${e(p.started_at)} · ${e(p.finished_at ?? "–")}`]);
  if (p.git.commit) rows.push(["git", `<code>${e(p.git.commit)}</code>${p.git.branch ? ` on ${e(p.git.branch)}` : ""}${p.git.dirty ? " (dirty)" : ""}`]);
  if (p.tfjs) rows.push(["TensorFlow.js", e(JSON.stringify(p.tfjs))]);
  rows.push(["machine", `${e(p.cpu.model)} × ${e(p.cpu.count)} · ${e(p.os.platform)} ${e(p.os.release)} ${e(p.os.arch)} · node ${e(p.node)}${p.threads === null ? "" : ` · ${e(p.threads)} thread(s)`}`]);
  return rows;
}

/** A two-column table of already-escaped HTML. */
export function table(rows: readonly (readonly [string, string])[]): string {
  return `<table>${rows.map(([name, value]) => `<tr><th>${name}</th><td>${value}</td></tr>`).join("")}</table>`;
}
