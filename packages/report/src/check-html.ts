import { escapeHtml as e } from "./escape.ts";
import { comparedBackends, finiteDifferenceChart, QUANTITY_TITLES, stepDifferenceChart } from "./check-charts.ts";
import { readCheckJson, type CheckDivergence, type CheckJson, type CheckQuantity, type CheckStepRows } from "./check-json.ts";
import { renderSvg } from "./render-svg.ts";
import { provenanceRows, table } from "./run-header.ts";
import { STYLE } from "./run-report.ts";

/** The page of a check report (the JSON `check --json` writes): per-step differences against tolerance. */
export async function checkReportHtml(file: string): Promise<string> {
  return checkPageHtml(readCheckJson(file));
}

/**
 * A check report as one self-contained page: the header, per quantity a chart of every pair's
 * difference per step against its tolerance, the first divergent step's table, the finite differences.
 * `check --html` builds it from the same JSON object `--json` writes, so both give the same bytes.
 */
export async function checkPageHtml(report: CheckJson): Promise<string> {
  const chart = async (id: string, spec: Parameters<typeof renderSvg>[0]) => `<figure class="chart" id="${id}">${await renderSvg(spec)}</figure>`;
  // Intermediates are drawn when the check compared them (every backend had them).
  const compared = new Set(report.per_step.flatMap((step) => step.pairs.map((p) => p.quantity)));
  const quantities = (["loss", "intermediate", "gradient", "output", "parameter"] as CheckQuantity[]).filter((q) => q !== "intermediate" || compared.has(q));
  let steps = "<p>only the reference took part: there is no pair to compare</p>";
  if (comparedBackends(report).length > 0) {
    const charts: string[] = [];
    for (const quantity of quantities) charts.push(await chart(`per-step-${quantity}`, stepDifferenceChart(report, quantity)));
    steps = charts.join("\n") + notDrawn(report);
  }
  const numerical = report.numerical.some((row) => row.checked > 0 && row.max_rel_error !== null)
    ? await chart("finite-differences", finiteDifferenceChart(report))
    : "<p>no element was checked against finite differences (every probe crossed a ReLU kink, or none was sampled)</p>";
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(report.name)} · check · crossprop</title>
<style>${STYLE}</style>
</head>
<body>
${headerHtml(report)}
<main>
<section id="per-step"><h2>per step: each backend against ${e(report.reference)}</h2>
${steps}
</section>
<section id="divergence"><h2>first divergence</h2>
${blameHtml(report)}${divergenceHtml(report.first_divergence, report.divergent_step, report.reference)}
</section>
<section id="numerical"><h2>finite differences: each backend's gradient at the initial parameters</h2>
${numerical}
${numericalTable(report)}
</section>
</main>
</body>
</html>
`;
}

const sci = (value: number | null) => (value === null ? "∞/NaN" : value === 0 ? "0" : value.toExponential(2));
/** A bound as typed: 1e-6, not 0.000001. */
const bound = (value: number) => (value !== 0 && Math.abs(value) < 1e-3 ? value.toExponential() : String(value));
const index = (at: number[] | null) => (at ? `[${at.join(", ")}]` : "–");
const mark = (ok: boolean) => `<span class="${ok ? "pass" : "fail"}">${ok ? "✓" : "✗"}</span>`;

function headerHtml(report: CheckJson): string {
  const failedFd = report.numerical.filter((row) => !row.passed);
  const verdict = report.passed
    ? `${mark(true)} passed: every backend within tolerance of ${e(report.reference)} for ${e(report.steps)} steps, and of finite differences`
    : `${mark(false)} failed: ${[report.first_divergence ? `backends disagree from step ${e(report.first_divergence.step)}` : "", failedFd.length ? `finite differences disagree with ${failedFd.map((r) => `${e(r.backend)} ${e(r.parameter)}`).join(", ")}` : ""].filter(Boolean).join("; ")}`;
  const rows: [string, string][] = [
    ["result", verdict],
    ["config file", e(report.config_file)],
    ["dtype", e(report.dtype)],
    ["steps", `${e(report.steps)} · ${report.synced ? "synced (every backend given the reference's parameters before each step)" : "free-running (--no-sync)"}`],
    ["reference", e(report.reference)],
    ["backends (engine)", report.backends.map((b) => `${e(b)} (${e(report.engines[b] ?? "–")})`).join(" · ")],
    ...Object.entries(report.tolerances).map(([pair, t]): [string, string] => [
      `tolerance ${e(pair.replace("~", " vs "))}`,
      `loss ${e(bound(t.loss))} · tensors rtol ${e(bound(t.tensors.rtol))}${t.tensors.atol === null ? ` (elements below ${e(t.tensors.floor)}·max|ref| against that)` : `, atol ${e(bound(t.tensors.atol))}`}`,
    ]),
  ];
  return `<header>
<h1>check ${e(report.name)}</h1>
${table(rows)}
<h2>provenance</h2>
${report.provenance ? table(provenanceRows(report.provenance)) : "<p>not recorded</p>"}
</header>`;
}

/** Differences that are infinite or NaN have no place on a log axis: they are named instead. */
function notDrawn(report: CheckJson): string {
  const missing = report.per_step.flatMap(({ step, pairs }) => pairs.filter((p) => p.max_rel === null).map((p) => `step ${e(step)} ${e(p.backend)} ${e(QUANTITY_TITLES[p.quantity])} (${e(p.tensor)})`));
  return missing.length === 0 ? "" : `<p class="fail">not drawn, infinite or NaN: ${missing.join("; ")}</p>`;
}

/** Who is wrong: the backend the others' agreement names, whichever is the reference. */
function blameHtml(report: CheckJson): string {
  const blame = report.blame;
  if (!blame) return "";
  const agreeing = blame.agreeing.length > 0 ? `; ${e(blame.agreeing.join(", "))} agree` : "";
  const how = blame.evidence === "agreement" ? `${e(blame.witnesses.join(", "))} agree among themselves` : `its gradients fail the finite-difference check, ${e(blame.witnesses[0] ?? "")}'s pass`;
  return `<p class="culprit" id="culprit">${mark(false)} culprit: <strong>${e(blame.backend)}</strong> — <code>${e(blame.tensor)}</code> wrong at step ${e(blame.step)} (max rel ${e(sci(blame.max_rel))}${blame.index ? ` at ${e(index(blame.index))}` : ""} &gt; ${e(bound(blame.tolerance))})${agreeing}; ${how}</p>\n`;
}

function divergenceHtml(divergence: CheckDivergence | null, rows: CheckStepRows | null, reference: string): string {
  if (!divergence) return `<p>${mark(true)} none: every backend stayed within tolerance at every step</p>`;
  const what = `${e(divergence.kind)} ${e(divergence.tensor)}${divergence.index ? e(index(divergence.index)) : ""}`;
  const line = `<p>${mark(false)} step ${e(divergence.step)}, backend ${e(divergence.backend)}, ${what}: max rel ${e(sci(divergence.max_rel))} &gt; ${e(bound(divergence.tolerance))}</p>`;
  if (!rows) return line;
  const head = ["tensor", "kind", "backend", "exact", "allclose", "max abs", "max rel", "worst index"];
  const body = rows.rows.map((row) =>
    `<tr class="${row.allclose ? "" : "fail"}"><td>${e(row.tensor)}</td><td>${e(row.kind)}</td><td>${e(row.backend)}</td><td>${row.exact ? "yes" : "no"}</td><td>${mark(row.allclose)}</td><td>${e(sci(row.max_abs))}</td><td>${e(sci(row.max_rel))}</td><td>${e(index(row.worst_index))}</td></tr>`);
  return `${line}
<table class="numbers" id="divergent-step"><caption>step ${e(rows.step)}: ${rows.rows.some((r) => r.kind === "intermediate") ? "intermediates, " : ""}gradients, logits and updated parameters vs ${e(reference)}</caption>
<tr>${head.map((h) => `<th>${h}</th>`).join("")}</tr>
${body.join("\n")}
</table>`;
}

function numericalTable(report: CheckJson): string {
  const head = ["backend", "parameter", "checked", "skipped (ReLU kink)", "max rel err", "tolerance", "worst index", "analytic", "numeric", ""];
  const body = report.numerical.map((row) =>
    `<tr class="${row.passed ? "" : "fail"}"><td>${e(row.backend)}</td><td>${e(row.parameter)}</td><td>${e(row.checked)}</td><td>${e(row.skipped)}</td><td>${e(sci(row.max_rel_error))}</td><td>${e(bound(row.tolerance))}</td><td>${e(index(row.worst_index))}</td><td>${e(sci(row.analytic))}</td><td>${e(sci(row.numeric))}</td><td>${mark(row.passed)}</td></tr>`);
  return `<table class="numbers" id="numerical-table">
<tr>${head.map((h) => `<th>${h}</th>`).join("")}</tr>
${body.join("\n")}
</table>`;
}
