import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { crossprop, tempDir, writeConfig } from "./helpers.ts";

// A real MNIST subset, one epoch of 10 steps: about a second.
const tiny = `name: report-tiny
seed: 1
data: { train_size: 100, test_size: 100 }
model: { hidden: [16] }
training: { epochs: 1, batch_size: 10 }
expect:
  valid_accuracy: { min: 0.1 }
`;

/** The page's resource references: attributes and CSS that would fetch something. */
const RESOURCE = /\b(src|href|xlink:href)\s*=\s*["']?\s*(https?:|\/\/)|url\(\s*["']?\s*(https?:|\/\/)|<script\b[^>]*\bsrc=|<link\b/i;

describe("crossprop report RUN_DIR, on a run the real CLI trained", () => {
  const cwd = tempDir();
  const run = join(cwd, "run");
  const trained = crossprop(["run", writeConfig(tiny, cwd), "--out", run, "--quiet"], cwd);

  it("writes RUN_DIR/report.html with the header, the evaluation charts and the step charts", () => {
    expect(trained.status).toBe(0);
    const result = crossprop(["report", run], cwd);
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    const file = join(run, "report.html");
    expect(result.stdout).toBe(`report: ${file}\n`);
    const html = readFileSync(file, "utf8");
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain("<h1>report-tiny</h1>");
    expect(html).toMatch(/<th>backend<\/th><td>manual \(wasm\)<\/td>/);
    expect(html).toMatch(/class="status completed">completed</);
    expect(html).toMatch(/<li class="pass">✓ valid_accuracy ≥ 0.1: got [0-9.]+<\/li>/);
    const summary = JSON.parse(readFileSync(join(run, "summary.json"), "utf8")) as { data: { sha256: string } };
    expect(html).toContain(summary.data.sha256);
    expect(html).toMatch(/<details><summary>resolved config/);
    for (const id of ["evaluation-loss", "valid-accuracy", "step-loss", "step-loss-log"]) {
      expect(html, id).toMatch(new RegExp(`<figure class="chart" id="${id}"><svg[^>]*>[\\s\\S]*?class="mark-line role-mark[\\s\\S]*?</svg></figure>`));
    }
    expect(html).not.toMatch(RESOURCE);
    expect(html).not.toMatch(/<script/i);
  });

  it("--out FILE writes there instead; run's own files are untouched", () => {
    const before = readFileSync(join(run, "summary.json"), "utf8");
    const out = join(cwd, "elsewhere", "tiny.html");
    const result = crossprop(["report", run, "--out", out], cwd);
    expect(result.status).toBe(0);
    expect(readFileSync(out, "utf8")).toMatch(/<h1>report-tiny<\/h1>/);
    expect(readFileSync(join(run, "summary.json"), "utf8")).toBe(before);
  });

  it("a path that is nothing crossprop reports on: one error line, exit 2, nothing written", () => {
    const empty = tempDir();
    const result = crossprop(["report", empty], cwd);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toBe(`error: ${empty} is not a run directory (summary.json), a comparison directory (comparison.json) or a sweep directory (results.json)\n`);
    expect(existsSync(join(empty, "report.html"))).toBe(false);
    const missing = crossprop(["report", join(empty, "nope")], cwd);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/^error: .*nope: no such file or directory\n$/);
    const three = crossprop(["report", run, run, run], cwd);
    expect(three.status).toBe(2);
    expect(three.stderr).toBe("error: report takes one path, or two run directories to compare; got 3\n");
  });

  it("an output path under a file is refused by the probe: exit 2, one line", () => {
    const blocker = join(cwd, "blocker");
    writeFileSync(blocker, "");
    const result = crossprop(["report", run, "--out", join(blocker, "report.html")], cwd);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^error: report file .*blocker\/report\.html: .*blocker is a file, not a directory\n$/);
  });
});
