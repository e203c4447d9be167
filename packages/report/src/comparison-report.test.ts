import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { UserError } from "@crossprop/core";
import { describe, expect, it } from "vitest";
import { HOSTILE, lineMarks, writeComparisonFixture } from "./comparison.fixture.ts";
import { comparisonReportHtml, writeComparisonReport } from "./comparison-report.ts";
import { REPORT_FILE } from "./run-report.ts";

const ramp = (n: number, offset = 0) => Array.from({ length: n }, (_, i) => 2.5 - i / 10 + offset * (i % 3));

/** Three backends: manual; autograd diverged at step 4; a third (labelled with markup) whose losses equal manual's at every third step. */
function comparison(): string {
  return writeComparisonFixture([
    { backend: "manual", losses: ramp(20), accuracies: [0.6, 0.7] },
    { backend: "autograd", status: "diverged", losses: ramp(3, 1e-7), accuracies: [] },
    { backend: "tfjs", label: HOSTILE, losses: ramp(20, 3e-7), accuracies: [0.6, 0.71] },
  ]);
}

describe("comparisonReportHtml", async () => {
  const dir = comparison();
  writeFileSync(join(dir, "manual", REPORT_FILE), "<!doctype html>");
  const html = await comparisonReportHtml(dir);
  const escaped = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;";
  // vega writes the SVG's attributes double-quoted and leaves ' as it is there
  const inSvg = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;'";

  it("overlays every backend's curves, one line each; the diverged one ends where it diverged", () => {
    expect(lineMarks(html, "step-loss")).toEqual([
      { run: "manual", vertices: 20 },
      { run: "autograd", vertices: 3 },
      { run: inSvg, vertices: 20 },
    ]);
    expect(lineMarks(html, "step-loss-log")).toHaveLength(3);
    for (const id of ["valid-loss", "valid-accuracy", "train-loss"]) expect(lineMarks(html, id).map((l) => l.vertices), id).toEqual([2, 2]);
  });

  it("draws each backend's loss difference from the first, and says where identical losses are drawn on the log scale", () => {
    expect(lineMarks(html, "loss-difference")).toEqual([{ run: "autograd", vertices: 3 }, { run: inSvg, vertices: 20 }]);
    expect(lineMarks(html, "loss-difference-log")).toEqual([{ run: "autograd", vertices: 3 }, { run: inSvg, vertices: 20 }]);
    // Steps 1, 4, 7, … of both (i % 3 == 0) are identical: 1 of autograd's 3, 7 of the third's 20. The
    // smallest other |Δ| is 1e-7 as float64 subtracts it near 2.4 (9.99…e-8): the zeros go one decade below, 1e-9.
    expect(html).toMatch(/Identical losses \(Δ = 0, 8 step\(s\)\) are drawn at 1e-9, below every non-zero \|Δ\|/);
  });

  it("holds the final-metrics table of comparison.txt, a diverged backend's column saying where", () => {
    const table = /<table class="final-metrics">([\s\S]*?)<\/table>/.exec(html)![1]!;
    expect(table).toContain(`<tr><th></th><th>manual</th><th>autograd</th><th>${escaped}</th></tr>`);
    expect(table).toContain(`<tr><th>status</th><td class="status completed">completed</td><td class="status diverged">diverged at step 4</td><td class="status completed">completed</td></tr>`);
    expect(table).toContain(`<tr><th>valid_accuracy</th><td class="number">0.7000</td><td class="number">–</td><td class="number">0.7100</td></tr>`);
    expect(table).toContain(`<tr><th>samples/s</th><td class="number">12,346</td><td class="number">–</td><td class="number">12,346</td></tr>`);
  });

  it("links each backend's own report.html relatively, or names the command that builds it", () => {
    expect(html).toContain(`<a href="manual/report.html">manual</a>`);
    expect(html).toContain(`autograd: no report.html yet in ${join(dir, "autograd")} — <code>crossprop report ${join(dir, "autograd")}</code> builds it`);
  });

  it("lists how each backend's resolved config differs from the first's", () => {
    expect(html).toContain("<li>autograd: <code>backend</code>: manual → autograd</li>");
    expect(html).toContain(`<li>${escaped}: <code>backend</code>: manual → tfjs</li>`);
  });

  it("escapes every string from the files and loads nothing", () => {
    expect(html).not.toContain("<script");
    expect(html).not.toContain(HOSTILE);
    expect(html).not.toMatch(/https?:\/\//);
    expect(html).not.toMatch(/<link|<img|<iframe|\bsrc=|url\(/i);
    expect(html.split("&lt;script&gt;").length - 1).toBeGreaterThanOrEqual(8);
  });
});

describe("writeComparisonReport", () => {
  it("writes DIR/report.html, also for a comparison moved since comparison.json was written", async () => {
    const original = comparison();
    const moved = join(dirname(original), "moved");
    cpSync(original, moved, { recursive: true });
    rmSync(original, { recursive: true });
    const out = await writeComparisonReport(moved);
    expect(out).toBe(join(moved, REPORT_FILE));
    expect(lineMarks(readFileSync(out, "utf8"), "step-loss")).toHaveLength(3);
  });

  it("refuses a comparison.json that is not a list of backends, naming the file (exit 2)", async () => {
    const dir = comparison();
    writeFileSync(join(dir, "comparison.json"), `{"backend":"manual"}`);
    const error = await comparisonReportHtml(dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).exitCode).toBe(2);
    expect((error as UserError).message).toBe(`${join(dir, "comparison.json")}: not a comparison (a list of backends, each with backend, status and run_dir)`);
    writeFileSync(join(dir, "comparison.json"), `[{"backend":`);
    await expect(comparisonReportHtml(dir)).rejects.toThrow(/comparison\.json: not readable as JSON/);
    expect(existsSync(join(dir, REPORT_FILE))).toBe(false);
  });
});
