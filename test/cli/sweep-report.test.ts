import { existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { crossprop, tempDir, writeConfig } from "./helpers.ts";

// A real MNIST subset: four one-epoch trials of 200 images, about a second each.
const sweep = `name: sweep-report
data: { train_size: 200, test_size: 100 }
model: { hidden: [16] }
training: { epochs: 1 }
sweep:
  grid:
    optimizer.lr: [0.1, 0.5]
    training.batch_size: [16, 32]
`;

interface Results {
  best: { index: number; id: string };
  trials: { index: number; id: string; params: Record<string, number>; objective: number }[];
}

/** The href of every link on the page. */
const links = (html: string) => [...html.matchAll(/\bhref="([^"]*)"/g)].map((m) => m[1]!);

describe("crossprop sweep writes results.html; crossprop report SWEEP_DIR rebuilds it", () => {
  const cwd = tempDir();
  const dir = join(cwd, "sweep");
  let run: ReturnType<typeof crossprop>;
  let results: Results;

  beforeAll(() => {
    run = crossprop(["sweep", writeConfig(sweep, cwd), "--out", dir, "--workers", "2", "--quiet"], cwd);
    results = JSON.parse(readFileSync(join(dir, "results.json"), "utf8")) as Results;
  });

  it("results.html links to the four trials' report.html, which exist; its heatmap holds the grid's objectives", () => {
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain(`${join(dir, "results.html")}`);
    const html = readFileSync(join(dir, "results.html"), "utf8");
    const trialLinks = [...new Set(links(html))];
    expect(trialLinks.sort()).toEqual(results.trials.map((t) => `trials/${t.id}/report.html`).sort());
    for (const href of trialLinks) expect(readFileSync(join(dir, href), "utf8"), href).toMatch(/^<!doctype html>[\s\S]*<h1>sweep-report<\/h1>/);
    // One cell per trial, labelled with its objective to 4 significant digits, in the grid's order.
    const heatmap = /<figure class="chart" id="heatmap">([\s\S]*?)<\/figure>/.exec(html)?.[1] ?? "";
    const cells = [...heatmap.matchAll(/aria-label="training\.batch_size: (\d+); optimizer\.lr: ([0-9.]+); label: ([0-9.]+)"/g)].map((m) => [Number(m[2]), Number(m[1]), m[3]]);
    expect(cells).toEqual(results.trials.map((t) => [t.params["optimizer.lr"], t.params["training.batch_size"], t.objective.toPrecision(4)]));
    expect(html).toMatch(new RegExp(`<tr class="best"><td>1</td><td>${results.best.index}</td><td><a href="trials/${results.best.id}/report.html">`));
    expect(html).not.toMatch(/<script|https?:\/\//i);
  });

  it("summary.md holds the Mermaid chart of the objective per trial", () => {
    const markdown = readFileSync(join(dir, "summary.md"), "utf8");
    const block = /```mermaid\nxychart-beta\n([\s\S]*?)\n```\n/.exec(markdown)?.[1];
    expect(block).toBeDefined();
    expect(block).toContain(`x-axis "optimizer.lr / training.batch_size" ["0.1/16", "0.1/32", "0.5/16", "0.5/32"]`);
    expect(block).toContain(`bar [${results.trials.map((t) => Number(t.objective.toPrecision(4))).join(", ")}]`);
  });

  it("crossprop report SWEEP_DIR rebuilds results.html from results.json", () => {
    const before = readFileSync(join(dir, "results.html"), "utf8");
    rmSync(join(dir, "results.html"));
    const rebuilt = crossprop(["report", dir], cwd);
    expect(rebuilt.stderr).toBe("");
    expect(rebuilt.status).toBe(0);
    expect(rebuilt.stdout).toBe(`report: ${join(dir, "results.html")}\n`);
    expect(readFileSync(join(dir, "results.html"), "utf8")).toBe(before);
  });

  it("crossprop report SWEEP_DIR --out FILE elsewhere links to the trials' reports relative to FILE", () => {
    const out = join(cwd, "pages", "sweep.html");
    const result = crossprop(["report", dir, "--out", out], cwd);
    expect(result.status, result.stderr).toBe(0);
    const hrefs = [...new Set(links(readFileSync(out, "utf8")))];
    expect(hrefs.sort()).toEqual(results.trials.map((t) => `../sweep/trials/${t.id}/report.html`).sort());
    for (const href of hrefs) expect(existsSync(join(cwd, "pages", href)), href).toBe(true);
  });

  it("--no-report writes no trial report.html; results.html then names the trials without links", () => {
    const out = join(cwd, "no-report");
    const quiet = crossprop(["sweep", writeConfig(sweep, cwd), "--out", out, "--workers", "1", "--quiet", "--no-report", "--set", "seed=3"], cwd);
    expect(quiet.status, quiet.stderr).toBe(0);
    const ids = (JSON.parse(readFileSync(join(out, "results.json"), "utf8")) as Results).trials.map((t) => t.id);
    expect(ids.map((id) => existsSync(join(out, "trials", id, "summary.json")))).toEqual([true, true, true, true]);
    expect(ids.map((id) => existsSync(join(out, "trials", id, "report.html")))).toEqual([false, false, false, false]);
    const html = readFileSync(join(out, "results.html"), "utf8");
    expect(links(html)).toEqual([]);
    for (const id of ids) expect(html).toContain(`<code>${id}</code>`);
  });
});
