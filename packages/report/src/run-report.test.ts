import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { UserError } from "@crossprop/core";
import { describe, expect, it } from "vitest";
import { readRunFiles } from "./run-files.ts";
import { REPORT_FILE, runReportHtml, writeRunReport } from "./run-report.ts";

const HOSTILE = `<script>alert("x")</script>&'`;

/** A finished run directory as `crossprop run` writes one (docs/run-directory.md), with a hostile name everywhere a string goes. */
function runDirectory(overrides: Record<string, unknown> = {}): string {
  const dir = join(mkdtempSync(join(tmpdir(), "crossprop-report-")), "run");
  mkdirSync(dir);
  const summary = {
    schema_version: 2, status: "completed", name: HOSTILE, config_file: `/configs/${HOSTILE}.yaml`, backend: "manual", engine: "wasm", threads: 1, seed: 3,
    epochs: 3, steps: 30, evaluations: 3, final: { train_loss: 0.41, valid_loss: 0.45, valid_accuracy: 0.88 },
    seconds_per_epoch: 0.5, samples_per_second: 20000, wall_seconds: 1.6, process_peak_rss_mb: 150,
    data: { dataset: "mnist", split: "standard", classes: ["0", "1"], train_examples: 300, valid_examples: 100, sha256: "ab".repeat(32) },
    expectations: [
      { metric: "valid_accuracy", bound: "min", threshold: 0.85, value: 0.88, passed: true },
      { metric: "valid_loss", bound: "max", threshold: 0.3, value: 0.45, passed: false },
    ],
    passed: false, warnings: [`loss grew ${HOSTILE}`], versions: { node: "20.20.2", "@crossprop/run": "0.1.0" },
    provenance: {
      command: { argv: ["run", `${HOSTILE}.yaml`], cwd: "/work" }, started_at: "2026-12-01T10:00:00.000Z", finished_at: "2026-12-01T10:00:02.000Z",
      git: { commit: "0123456789abcdef0123456789abcdef01234567", branch: "main", dirty: false }, packages: {}, tfjs: null,
      node: "20.20.2", cpu: { model: "test cpu", count: 2 }, os: { platform: "linux", release: "6", arch: "x64" }, threads: 1,
    },
    ...overrides,
  };
  writeFileSync(join(dir, "summary.json"), JSON.stringify(summary));
  writeFileSync(join(dir, "config.resolved.yaml"), `name: "${HOSTILE}"\nseed: 3\n`);
  const metrics = [1, 2, 3].map((epoch) => ({ epoch, train_loss: 1 / epoch, valid_loss: 1.1 / epoch, valid_accuracy: 0.6 + 0.09 * epoch, seconds: 0.5, eval_seconds: 0.1 }));
  writeFileSync(join(dir, "metrics.jsonl"), metrics.map((m) => `${JSON.stringify(m)}\n`).join(""));
  const steps = Array.from({ length: 30 }, (_, i) => ({ step: i + 1, epoch: Math.floor(i / 10) + 1, loss_per_example: 2.3 * Math.exp(-i / 10) + 0.05 * (i % 3) }));
  // The last line lacks its newline, as a SIGKILL mid-append leaves it: it is dropped.
  writeFileSync(join(dir, "steps.jsonl"), `${steps.map((s) => `${JSON.stringify(s)}\n`).join("")}{"step":31,"ep`);
  return dir;
}

describe("runReportHtml", async () => {
  const dir = runDirectory();
  const html = await runReportHtml(readRunFiles(dir));

  it("inlines the four charts as SVG with drawn marks", () => {
    for (const id of ["evaluation-loss", "valid-accuracy", "step-loss", "step-loss-log"]) {
      const figure = new RegExp(`<figure class="chart" id="${id}"><svg[^>]*>([\\s\\S]*?)</svg></figure>`).exec(html);
      expect(figure, id).not.toBeNull();
      expect(figure![1], id).toMatch(/class="mark-line role-mark/);
    }
    expect(html).toMatch(/loss of every step \(log scale\)/);
    expect(html).toMatch(/EMA 0\.9/);
  });

  it("escapes every value taken from the run's files", () => {
    expect(html).not.toContain("<script");
    expect(html).not.toContain(HOSTILE);
    expect(html).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;");
    // the name in the title and heading, the config file, the command, the warning and the resolved config
    expect(html.split("&lt;script&gt;").length - 1).toBeGreaterThanOrEqual(6);
  });

  it("references nothing outside the page: no URL, no script, no external resource", () => {
    expect(html).not.toMatch(/https?:\/\//);
    expect(html).not.toMatch(/<script|<link|<img|<iframe|\bsrc=|\bhref=|url\(/i);
  });

  it("shows the header: backend and engine, status, final metrics, each expectation, the data fingerprint, provenance, the resolved config", () => {
    expect(html).toContain("manual (wasm)");
    expect(html).toMatch(/class="status completed">completed</);
    expect(html).toMatch(/valid_accuracy<\/th><td>0\.88</);
    expect(html).toContain(`<li class="pass">✓ valid_accuracy ≥ 0.85: got 0.88</li>`);
    expect(html).toContain(`<li class="fail">✗ valid_loss ≤ 0.3: got 0.45</li>`);
    expect(html).toContain("ab".repeat(32));
    expect(html).toContain("0123456789abcdef0123456789abcdef01234567");
    expect(html).toMatch(/@crossprop\/run 0\.1\.0/);
    expect(html).toMatch(/<details><summary>resolved config[^<]*<\/summary><pre>name: &quot;&lt;script&gt;/);
  });
});

describe("writeRunReport", () => {
  it("writes report.html into the run directory by default", async () => {
    const dir = runDirectory();
    const out = await writeRunReport(dir);
    expect(out).toBe(join(dir, REPORT_FILE));
    expect(readFileSync(out, "utf8")).toMatch(/^<!doctype html>/);
  });

  it("refuses a directory without a finished run's summary.json (exit 2)", async () => {
    const empty = mkdtempSync(join(tmpdir(), "crossprop-report-"));
    await expect(writeRunReport(empty)).rejects.toThrow(/is not a run directory: it has no summary\.json/);
    const running = runDirectory({ status: "running" });
    const refused = await writeRunReport(running).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(UserError);
    expect((refused as UserError).exitCode).toBe(2);
    expect((refused as UserError).message).toMatch(/says status running, not completed or diverged/);
  });

  it("names the file and line of an unreadable metrics line", async () => {
    const dir = runDirectory();
    writeFileSync(join(dir, "metrics.jsonl"), `{"epoch":1}\nnot json\n`);
    await expect(writeRunReport(dir)).rejects.toThrow(/metrics\.jsonl:2: not a JSON object: not json/);
  });
});
