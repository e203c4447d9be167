import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { UserError } from "@crossprop/core";
import { describe, expect, it } from "vitest";
import { checkPageHtml, checkReportHtml } from "./check-html.ts";
import type { CheckJson, CheckTensorRow } from "./check-json.ts";

const HOSTILE = `<script>alert("x")</script>&'`;
const tensor = (backend: string, tensor: string, kind: CheckTensorRow["kind"], max_rel: number | null, allclose = true): CheckTensorRow =>
  ({ tensor, kind, backend, exact: max_rel === 0, allclose, max_abs: max_rel === null ? null : max_rel / 2, max_rel, worst_index: max_rel === 0 ? null : [3, 1] });

/** A failing check of two backends against a reference over 3 steps: `bad` leaves tolerance in layers.0.bias's gradient at step 2. */
function failingReport(): CheckJson {
  const figures = (step: number, bad: number | null) => ({
    step,
    pairs: [
      { backend: "autograd", quantity: "loss" as const, tensor: "loss", max_rel: 0, tolerance: 1e-6 },
      { backend: "autograd", quantity: "gradient" as const, tensor: "layers.0.weight", max_rel: 2e-7 * step, tolerance: 1e-5 },
      { backend: "autograd", quantity: "output" as const, tensor: "logits", max_rel: 1e-7, tolerance: 1e-5 },
      { backend: "autograd", quantity: "parameter" as const, tensor: "layers.0.weight", max_rel: 5e-8, tolerance: 1e-5 },
      { backend: HOSTILE, quantity: "loss" as const, tensor: "loss", max_rel: 3e-7, tolerance: 1e-4 },
      { backend: HOSTILE, quantity: "gradient" as const, tensor: "layers.0.bias", max_rel: bad, tolerance: 1e-4 },
      { backend: HOSTILE, quantity: "output" as const, tensor: "logits", max_rel: 2e-6, tolerance: 1e-4 },
      { backend: HOSTILE, quantity: "parameter" as const, tensor: "layers.0.bias", max_rel: 1e-6, tolerance: 1e-4 },
    ],
  });
  const divergentRows = [
    tensor("autograd", "layers.0.weight", "gradient", 4e-7),
    tensor("autograd", "layers.0.bias", "gradient", 0),
    tensor(HOSTILE, "layers.0.weight", "gradient", 3e-6),
    tensor(HOSTILE, "layers.0.bias", "gradient", 0.02, false),
    tensor(HOSTILE, "logits", "output", 2e-6),
  ];
  const fd = (backend: string, parameter: string, max_rel_error: number, tolerance: number, checked = 50) =>
    ({ backend, parameter, checked, skipped: 50 - checked, max_rel_error, tolerance, worst_index: [1], analytic: 0.5, numeric: 0.5, passed: max_rel_error <= tolerance });
  return {
    schema_version: 2, name: HOSTILE, config_file: `/configs/${HOSTILE}.yaml`, dtype: "float32", reference: "manual", backends: ["manual", "autograd", HOSTILE], steps: 3, synced: true,
    engines: { manual: "typescript", autograd: "typescript", [HOSTILE]: "wasm" },
    tolerances: { "autograd~manual": { loss: 1e-6, tensors: { rtol: 1e-5, atol: null, floor: 0.2 } }, [`${HOSTILE}~manual`]: { loss: 1e-4, tensors: { rtol: 1e-4, atol: null, floor: 0.2 } } },
    losses: [1, 2, 3].map((step) => ({ step, loss: { manual: 2.3, autograd: 2.3, [HOSTILE]: 2.3 }, rel: { autograd: 0, [HOSTILE]: 3e-7 } })),
    first_step: { step: 1, rows: divergentRows }, last_step: { step: 3, rows: divergentRows },
    per_step: [figures(1, 2e-6), figures(2, 0.02), figures(3, null)],
    first_divergence: { step: 2, backend: HOSTILE, tensor: "layers.0.bias", kind: "gradient", index: [3, 1], max_rel: 0.02, tolerance: 1e-4 },
    divergent_step: { step: 2, rows: divergentRows },
    numerical: [fd("manual", "layers.0.weight", 2e-6, 1e-3), fd("manual", "layers.0.bias", 0, 1e-3, 0), fd(HOSTILE, "layers.0.weight", 3e-6, 1e-3), fd(HOSTILE, "layers.0.bias", 0.01, 1e-3)],
    passed: false, provenance: null,
  };
}

/** The SVG of the figure with this id. */
const figure = (html: string, id: string) => new RegExp(`<figure class="chart" id="${id}">(<svg[\\s\\S]*?</svg>)</figure>`).exec(html)?.[1] ?? "";
/** The paths drawn by a chart's line marks: one per series. */
const linePaths = (svg: string) => [...svg.matchAll(/<g class="mark-line role-mark[^"]*"[^>]*>(.*?)<\/g>/g)].map((m) => (m[1]!.match(/<path /g) ?? []).length).reduce((a, b) => a + b, 0);
const count = (text: string, pattern: RegExp) => (text.match(pattern) ?? []).length;

describe("checkPageHtml", () => {
  it("draws one line per pair and one tolerance rule per pair, for every compared quantity", async () => {
    const html = await checkPageHtml(failingReport());
    for (const quantity of ["loss", "gradient", "output", "parameter"]) {
      const svg = figure(html, `per-step-${quantity}`);
      expect(linePaths(svg), quantity).toBe(2);
      const rules = /<g class="mark-rule role-mark[^"]*"[^>]*>(.*?)<\/g>/.exec(svg)![1]!;
      expect(count(rules, /<line /g), quantity).toBe(2);
    }
    // Step 3's gradient difference is NaN: left off the log axis (2 + 3 points of the gradient chart), and named.
    expect(count(/<g class="mark-symbol role-mark[^"]*"[^>]*>(.*?)<\/g>/.exec(figure(html, "per-step-gradient"))![1]!, /<path /g)).toBe(5);
    expect(html).toContain("not drawn, infinite or NaN: step 3 &lt;script&gt;");
  });

  it("shows a failing check as ✗, with the divergent step's table and the failing rows marked", async () => {
    const html = await checkPageHtml(failingReport());
    expect(html).toMatch(/<span class="fail">✗<\/span> failed: backends disagree from step 2; finite differences disagree with &lt;script&gt;.* layers\.0\.bias/);
    expect(html).toContain("step 2, backend &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;, gradient layers.0.bias[3, 1]: max rel 2.00e-2 &gt; 1e-4");
    const table = /<table class="numbers" id="divergent-step">([\s\S]*?)<\/table>/.exec(html)![1]!;
    expect(table).toContain("<caption>step 2:");
    expect(count(table, /<tr class="/g)).toBe(5);
    expect(count(table, /<tr class="fail">/g)).toBe(1);
    expect(table).toMatch(/<tr class="fail"><td>layers\.0\.bias<\/td><td>gradient<\/td><td>&lt;script&gt;[^<]*<\/td><td>no<\/td><td><span class="fail">✗<\/span><\/td><td>1\.00e-2<\/td><td>2\.00e-2<\/td><td>\[3, 1\]<\/td><\/tr>/);
  });

  it("plots the finite-difference check per parameter: a dot per row that checked something, a tick per bound", async () => {
    const html = await checkPageHtml(failingReport());
    const svg = figure(html, "finite-differences");
    expect(count(/<g class="mark-symbol role-mark[^"]*"[^>]*>(.*?)<\/g>/.exec(svg)![1]!, /<path /g)).toBe(3);
    expect(count(/<g class="mark-rect role-mark[^"]*"[^>]*>(.*?)<\/g>/.exec(svg)![1]!, /<path /g)).toBe(3);
    const table = /<table class="numbers" id="numerical-table">([\s\S]*?)<\/table>/.exec(html)![1]!;
    expect(count(table, /<tr class="fail">/g)).toBe(1);
    expect(table).toContain("<td>1.00e-2</td><td>0.001</td>");
  });

  it("escapes every string from the file, loads nothing and needs no script", async () => {
    const html = await checkPageHtml(failingReport());
    expect(html).not.toContain("<script>");
    expect(html).not.toMatch(/(src|href)=/);
    expect(html).not.toMatch(/url\(/);
  });

  it("says so when nothing diverged, and a pass is ✓", async () => {
    const report = { ...failingReport(), passed: true, first_divergence: null, divergent_step: null, numerical: [] };
    const html = await checkPageHtml(report);
    expect(html).toContain(`<span class="pass">✓</span> passed`);
    expect(html).toContain("none: every backend stayed within tolerance at every step");
    expect(html).not.toContain('id="divergent-step"');
    expect(html).toContain("no element was checked against finite differences");
  });
});

describe("checkReportHtml", () => {
  const file = (text: string) => {
    const path = join(mkdtempSync(join(tmpdir(), "crossprop-check-html-")), "check.json");
    writeFileSync(path, text);
    return path;
  };

  it("builds the page from the file byte for byte as from the object", async () => {
    const report = failingReport();
    expect(await checkReportHtml(file(JSON.stringify(report)))).toBe(await checkPageHtml(report));
  });

  it("refuses a version-1 report in one line that says to rerun check, and anything else that is not a report", async () => {
    const v1 = file(JSON.stringify({ ...failingReport(), schema_version: 1, config_file: "configs/mlp.yaml" }));
    await expect(checkReportHtml(v1)).rejects.toThrow(new UserError(`${v1}: a check report of schema_version 1 has no per-step figures to draw: rerun crossprop check configs/mlp.yaml --json FILE (or --html FILE)`));
    const broken = file("{ not json");
    await expect(checkReportHtml(broken)).rejects.toThrow(/: not a check report: not JSON/);
    await expect(checkReportHtml(file(JSON.stringify({ schema_version: 2, status: "completed" })))).rejects.toThrow(/not a check report \(the JSON crossprop check --json writes\)$/);
    const { per_step: _, ...incomplete } = failingReport();
    await expect(checkReportHtml(file(JSON.stringify(incomplete)))).rejects.toThrow(/not a complete check report: per_step is missing, not an array$/);
    for (const path of [v1, broken]) await expect(checkReportHtml(path)).rejects.toBeInstanceOf(UserError);
  });
});
