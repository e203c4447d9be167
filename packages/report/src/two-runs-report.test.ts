import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { HOSTILE, lineMarks, writeRunFixture } from "./comparison.fixture.ts";
import { readRunFiles } from "./run-files.ts";
import { REPORT_FILE } from "./run-report.ts";
import { runNames, twoRunsReportFile, twoRunsReportHtml } from "./two-runs-report.ts";

const config = (lr: number, hidden: string) => `name: mlp\nbackend: manual\nmodel:\n  hidden: ${hidden}\noptimizer:\n  type: sgd\n  lr: ${lr}\ntraining:\n  epochs: 2\n`;

describe("twoRunsReportHtml", async () => {
  const root = mkdtempSync(join(tmpdir(), "crossprop-two-runs-"));
  const a = writeRunFixture(join(root, "lr-0.1"), { backend: "manual", losses: [2.5, 2.0, 1.5, 1.2], accuracies: [0.6, 0.7], config: config(0.1, "[16]") });
  const b = writeRunFixture(join(root, "lr-0.05"), { backend: "manual", losses: [2.5, 2.2, 1.9, 1.7, 1.6], accuracies: [0.55, 0.65, 0.68], config: config(0.05, "[32, 16]") });
  writeFileSync(join(b, REPORT_FILE), "<!doctype html>");
  const html = await twoRunsReportHtml(a, b, join(root, "pages", "compare.html"));

  it("overlays both runs' curves, named by their directories", () => {
    expect(lineMarks(html, "step-loss")).toEqual([{ run: "lr-0.1", vertices: 4 }, { run: "lr-0.05", vertices: 5 }]);
    expect(lineMarks(html, "valid-accuracy")).toEqual([{ run: "lr-0.1", vertices: 2 }, { run: "lr-0.05", vertices: 3 }]);
    // B − A on the 4 steps both have
    expect(lineMarks(html, "loss-difference")).toEqual([{ run: "lr-0.05", vertices: 4 }]);
  });

  it("lists exactly the config leaves that differ, a → b", () => {
    const list = /<ul class="config-differences">([\s\S]*?)<\/ul>/.exec(html)![1];
    expect(list).toBe("<li><code>model.hidden</code>: [16] → [32, 16]</li><li><code>optimizer.lr</code>: 0.1 → 0.05</li>");
  });

  it("puts both runs' final metrics side by side", () => {
    expect(html).toContain(`<tr><th>valid_accuracy</th><td class="number">0.7000</td><td class="number">0.6800</td></tr>`);
    expect(html).toContain(`<tr><th>steps</th><td class="number">4</td><td class="number">5</td></tr>`);
  });

  it("links a run's report.html relative to the page, and names the command for one not built yet", () => {
    expect(html).toContain(`<a href="../lr-0.05/report.html">report.html</a>`);
    expect(html).toContain(`<code>crossprop report ${a}</code>`);
  });

  it("escapes every string from the files and loads nothing", () => {
    expect(html).not.toContain("<script");
    expect(html).not.toContain(HOSTILE);
    expect(html).not.toMatch(/https?:\/\/|<link|<img|\bsrc=|url\(/i);
  });

  it("says so, and still draws the charts, when a config.resolved.yaml is not YAML", async () => {
    writeFileSync(join(a, "config.resolved.yaml"), "name: [unclosed\n");
    const page = await twoRunsReportHtml(a, b);
    expect(page).toMatch(/<p>not compared: a config\.resolved\.yaml is not YAML: [^<]+<\/p>/);
    expect(lineMarks(page, "step-loss")).toHaveLength(2);
  });
});

describe("runNames and twoRunsReportFile", () => {
  const root = mkdtempSync(join(tmpdir(), "crossprop-two-runs-"));
  const run = (path: string, backend: string) => readRunFiles(writeRunFixture(join(root, path), { backend, losses: [1], accuracies: [] }));

  it("name runs by directory; the same directory names by backend, else with their parents", () => {
    expect(runNames(run("x/manual-1", "manual"), run("x/tfjs-1", "tfjs"))).toEqual(["manual-1", "tfjs-1"]);
    expect(runNames(run("c1/manual", "manual"), run("c2/manual", "manual"))).toEqual(["c1/manual", "c2/manual"]);
    expect(runNames(run("c3/run", "manual"), run("c4/run", "tfjs"))).toEqual(["manual", "tfjs"]);
    const same = run("c5/run", "manual");
    expect(runNames(same, same)).toEqual(["run (A)", "run (B)"]);
  });

  it("writes compare-A-vs-B.html in the current directory by default", () => {
    expect(twoRunsReportFile("runs/mlp/manual-1/", "/tmp/tfjs-2")).toBe("compare-manual-1-vs-tfjs-2.html");
  });
});
