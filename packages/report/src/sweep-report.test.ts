import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { UserError } from "@crossprop/core";
import { describe, expect, it } from "vitest";
import { sweepReportHtml, writeSweepReport } from "./sweep-report.ts";
import { gridResults, sweepDirectory, sweepResults, sweepTrial } from "./sweep-results.fixture.ts";

const HOSTILE = `<script>alert("x")</script>&'`;
const figure = (html: string, id: string) => new RegExp(`<figure class="chart" id="${id}"><svg[^>]*>([\\s\\S]*?)</svg></figure>`).exec(html)?.[1];

describe("sweepReportHtml of a two-parameter grid", async () => {
  const results = gridResults();
  results.trials[3]!.error = `diverged: ${HOSTILE}`;
  // Trial 3 has no report.html (e.g. run with --no-report): its id is not a link.
  const withReports = results.trials.filter((t) => t.index !== 3).map((t) => t.id);
  const dir = sweepDirectory(results, withReports);
  const html = await sweepReportHtml(dir);

  it("shows the objective per trial and the grid as a heatmap, both with drawn marks; no panels", () => {
    expect(figure(html, "objective")).toMatch(/class="mark-symbol role-mark/);
    expect(figure(html, "heatmap")).toMatch(/class="mark-rect role-mark/);
    expect(html).not.toMatch(/id="param-/);
  });

  it("lists the trials best first, the best row marked, each id linking to its trial's report.html when it has one", () => {
    const rows = [...html.matchAll(/<tr( class="best")?><td>([^<]*)<\/td><td>(\d+)<\/td><td>(.*?)<\/td>/g)].map((m) => ({ best: Boolean(m[1]), rank: m[2], index: Number(m[3]), trial: m[4] }));
    expect(rows.map((r) => r.index)).toEqual([2, 1, 3, 6, 5, 4]);
    expect(rows.map((r) => r.rank)).toEqual(["1", "2", "3", "4", "5", "–"]);
    expect(rows.filter((r) => r.best).map((r) => r.index)).toEqual([2]);
    expect(rows.find((r) => r.index === 2)!.trial).toBe(`<a href="trials/000000000002/report.html"><code>000000000002</code></a>`);
    expect(rows.find((r) => r.index === 3)!.trial).toBe("<code>000000000003</code>");
    expect(html.match(/<a href="[^"]*"/g)).toHaveLength(6); // five rows and the best trial in the header
  });

  it("shows a trial that did not complete as such: its status and its error's first line", () => {
    expect(html).toMatch(/<td><span class="status diverged">diverged<\/span><\/td><td>–<\/td>/);
    expect(html).toContain(`<span class="error">diverged: &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;</span>`);
  });

  it("heads with the outcome, the counts, the objective and the best trial", () => {
    expect(html).toContain("<h1>sweep fixture-sweep</h1>");
    expect(html).toMatch(/<th>trials<\/th><td>5 completed · 1 diverged · 0 failed · 0 not run<\/td>/);
    expect(html).toMatch(/<th>best<\/th><td><strong>0\.9390<\/strong>, trial #2 <a href="trials\/000000000002\/report.html">/);
    expect(html).toContain("optimizer.lr=0.05 training.batch_size=64");
  });

  it("escapes what it takes from results.json and loads nothing: no script, no external URL", () => {
    expect(html).not.toContain(HOSTILE);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/https?:\/\/|<link|<img|<iframe|\bsrc=/i);
  });
});

describe("sweepReportHtml of other sweeps", () => {
  it("draws one panel per swept parameter when the trials are not a two-parameter grid", async () => {
    const trials = [
      sweepTrial(1, { "optimizer.lr": 0.01, "model.hidden": [16], backend: HOSTILE }, 0.8),
      sweepTrial(2, { "optimizer.lr": 0.1, "model.hidden": [], backend: "tfjs" }, 0.85),
      sweepTrial(3, { "optimizer.lr": 0.3, "model.hidden": [16], backend: "tfjs" }, null, "failed"),
      sweepTrial(4, { "optimizer.lr": 0.5, "model.hidden": [], backend: "manual" }, null, "not_run"),
    ];
    const html = await sweepReportHtml(sweepDirectory(sweepResults(["optimizer.lr", "model.hidden", "backend"], trials)));
    for (const id of ["param-1", "param-2", "param-3"]) expect(figure(html, id), id).toMatch(/class="mark-symbol role-mark/);
    expect(html).not.toMatch(/id="heatmap"/);
    expect(html).toMatch(/<span class="status not_run">not run<\/span>/);
    expect(html).toMatch(/<span class="status failed">failed<\/span>/);
    expect(html).toMatch(/2 trial\(s\) without a valid_accuracy/);
    expect(html).not.toContain(HOSTILE);
  });

  it("says in words that no trial has an objective instead of drawing an empty chart", async () => {
    const html = await sweepReportHtml(sweepDirectory(sweepResults(["optimizer.lr"], [sweepTrial(1, { "optimizer.lr": 1e30 }, null)])));
    expect(html).not.toContain("<svg");
    expect(html).toContain("<p>No trial has a valid_accuracy: none completed (see the table).</p>");
  });
});

describe("writeSweepReport", () => {
  it("writes results.html into the sweep directory", async () => {
    const dir = sweepDirectory(gridResults());
    const out = await writeSweepReport(dir);
    expect(out).toBe(join(dir, "results.html"));
    expect(readFileSync(out, "utf8")).toMatch(/^<!doctype html>[\s\S]*<h1>sweep fixture-sweep<\/h1>/);
  });

  it("written elsewhere (--out), links to the trials' reports relative to where it is", async () => {
    const dir = sweepDirectory(gridResults(), ["000000000002"]);
    mkdirSync(join(dir, "..", "pages"));
    const out = await writeSweepReport(dir, join(dir, "..", "pages", "sweep #1.html"));
    expect(readFileSync(out, "utf8").match(/<a href="[^"]*"/g)).toEqual(Array(2).fill(`<a href="../sweep/trials/000000000002/report.html"`));
  });

  it("refuses a directory whose results.json is absent or not a sweep's (exit 2, naming the file)", async () => {
    const dir = sweepDirectory(gridResults());
    writeFileSync(join(dir, "results.json"), JSON.stringify({ name: "x", plan: { paths: [] } }));
    const refused = await writeSweepReport(dir).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(UserError);
    expect((refused as UserError).exitCode).toBe(2);
    expect((refused as UserError).message).toBe(`${join(dir, "results.json")}: not a sweep's results: objective is not { metric, goal }`);
    const edited = gridResults();
    (edited.trials[2]!.metrics as Record<string, unknown>).valid_loss = "0.3";
    writeFileSync(join(dir, "results.json"), JSON.stringify(edited));
    await expect(writeSweepReport(dir)).rejects.toThrow(`${join(dir, "results.json")}: not a sweep's results: trials[2].metrics: a loss or accuracy is not a number or null`);
    writeFileSync(join(dir, "results.json"), "{");
    await expect(writeSweepReport(dir)).rejects.toThrow(`${join(dir, "results.json")}: cannot read sweep results: `);
    await expect(writeSweepReport(join(dir, "nowhere"))).rejects.toThrow("results.json: cannot read sweep results: no such file (is this a sweep directory?)");
  });
});
