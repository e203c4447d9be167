import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { crossprop, tempDir, writeConfig } from "./helpers.ts";

// A real MNIST subset, manual's TypeScript loops against tfjs in float32 for 3 steps: a few seconds.
const tiny = `name: check-html
seed: 2
data: { train_size: 200, test_size: 100 }
model: { hidden: [16] }
training: { epochs: 2, batch_size: 50 }
`;
const BACKENDS = ["--backends", "manual:typescript,tfjs", "--reference", "manual:typescript", "--steps", "3"];

/** Paths drawn by the line marks of the chart with this id: one per backend pair. */
function linesOf(html: string, id: string): number {
  const svg = new RegExp(`<figure class="chart" id="${id}">(<svg[\\s\\S]*?</svg>)</figure>`).exec(html)?.[1] ?? "";
  return [...svg.matchAll(/<g class="mark-line role-mark[^"]*"[^>]*>(.*?)<\/g>/g)].reduce((sum, m) => sum + (m[1]!.match(/<path /g) ?? []).length, 0);
}

describe("crossprop check --html", () => {
  const cwd = tempDir();
  const config = writeConfig(tiny, cwd);
  const page = join(cwd, "page.html");
  const json = join(cwd, "check.json");
  const checked = crossprop(["check", config, ...BACKENDS, "--json", json, "--html", page, "--quiet"], cwd);

  it("writes the page beside the text report, which is unchanged", () => {
    expect(checked.stderr).toBe("");
    expect(checked.status).toBe(0);
    expect(checked.stdout).toMatch(/\nPASS: every backend agrees with manual:typescript within tolerance for 3 steps,\sand with finite differences\nreport: .*page\.html\n$/);
    const plain = crossprop(["check", config, ...BACKENDS, "--quiet"], cwd);
    expect(checked.stdout).toBe(`${plain.stdout}report: ${page}\n`);
    const html = readFileSync(page, "utf8");
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain("<h1>check check-html</h1>");
    expect(html).toContain(`<span class="pass">✓</span> passed`);
    expect(html).toMatch(/<th>backends \(engine\)<\/th><td>manual:typescript \(typescript\) · tfjs \(tfjs-[a-z]+\)<\/td>/);
    for (const quantity of ["loss", "gradient", "output", "parameter"]) expect(linesOf(html, `per-step-${quantity}`), quantity).toBe(1);
    // One finite-difference row per backend and parameter tensor (2 layers: weight and bias each).
    expect((/<table class="numbers" id="numerical-table">([\s\S]*?)<\/table>/.exec(html)![1]!.match(/<tr class=""/g) ?? []).length).toBe(8);
    expect(html).not.toMatch(/<script|\b(src|href)=|url\(/);
  });

  it("report CHECK.json rebuilds the same page byte for byte, beside the JSON by default", () => {
    const report = JSON.parse(readFileSync(json, "utf8")) as { schema_version: number; per_step: { step: number; pairs: unknown[] }[] };
    expect(report.schema_version).toBe(2);
    // One pair (tfjs against the reference) × loss, intermediates, gradients, outputs, parameters.
    expect(report.per_step.map((s) => [s.step, s.pairs.length])).toEqual([[1, 5], [2, 5], [3, 5]]);
    const rebuilt = crossprop(["report", json], cwd);
    expect(rebuilt.stderr).toBe("");
    expect(rebuilt.status).toBe(0);
    expect(rebuilt.stdout).toBe(`report: ${join(cwd, "check.html")}\n`);
    expect(readFileSync(join(cwd, "check.html"), "utf8")).toBe(readFileSync(page, "utf8"));
  });

  it("a check that fails (an --rtol tfjs cannot meet) writes a page with ✗ and the divergent step's rows", () => {
    const failing = join(cwd, "failing.html");
    const result = crossprop(["check", config, ...BACKENDS, "--rtol", "1e-12", "--html", failing, "--quiet"], cwd);
    expect(result.status).toBe(1);
    const html = readFileSync(failing, "utf8");
    expect(html).toContain(`<span class="fail">✗</span> failed: backends disagree from step 1`);
    const table = /<table class="numbers" id="divergent-step"><caption>step 1:[^<]*<\/caption>([\s\S]*?)<\/table>/.exec(html)![1]!;
    // tfjs's intermediates (z and h of 2 layers, dlogits, layers.0.dh, layers.0.dz), every gradient, the logits
    // and every updated parameter: 7 + 4 + 1 + 4 rows, the out-of-tolerance ones marked.
    expect(table.match(/<tr class="/g)).toHaveLength(16);
    expect((table.match(/<tr class="fail">/g) ?? []).length).toBeGreaterThan(0);
  });

  it("a bad --html path is exit 2 before any work, and nothing is written", () => {
    const dir = tempDir();
    const onDirectory = crossprop(["check", config, ...BACKENDS, "--json", join(dir, "check.json"), "--html", dir], cwd);
    expect(onDirectory.stderr).toBe(`error: --html ${dir}: is a directory\n`);
    expect(onDirectory.status).toBe(2);
    expect(onDirectory.stdout).toBe("");
    expect(readdirSync(dir)).toEqual([]);
    const underFile = crossprop(["check", config, ...BACKENDS, "--html", join(page, "x.html")], cwd);
    expect(underFile.stderr).toBe(`error: --html ${join(page, "x.html")}: ${page} is a file, not a directory\n`);
    expect(underFile.status).toBe(2);
    expect(existsSync(join(page, "x.html"))).toBe(false);
  });
});
