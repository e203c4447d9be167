import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { crossprop, tempDir, writeConfig } from "./helpers.ts";

// A real MNIST subset: 2 epochs of 10 steps, about a second per backend.
const tiny = `name: compare-report
seed: 2
data: { train_size: 200, test_size: 100 }
model: { hidden: [16] }
optimizer: { lr: 0.1 }
training: { epochs: 2, batch_size: 20 }
tfjs: { engine: wasm }
`;

/** The runs drawn as lines in the chart `id`, with their vertex counts (vega labels each line with its first point). */
function lines(html: string, id: string): { run: string; vertices: number }[] {
  const figure = new RegExp(`<figure class="chart" id="${id}"><svg[^>]*>([\\s\\S]*?)</svg>`).exec(html);
  expect(figure, id).not.toBeNull();
  return [...figure![1]!.matchAll(/<path aria-label="[^"]*; run: ([^"]*)" role="graphics-symbol" aria-roledescription="line mark" d="([^"]*)"/g)].map((m) => ({ run: m[1]!, vertices: m[2]!.match(/[ML]/g)!.length }));
}

const stepsIn = (runDir: string) => readFileSync(join(runDir, "steps.jsonl"), "utf8").trim().split("\n").length;

describe("crossprop run --backend all writes the comparison's report.html", () => {
  const out = join(tempDir(), "compare");
  const result = crossprop(["run", writeConfig(tiny), "--backend", "all", "--quiet", "--out", out]);
  const page = join(out, "report.html");

  it("prints its path after the table, and exits with the run's code", () => {
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expect(result.stdout.trimEnd().split("\n").at(-1)).toBe(`report: ${page}`);
  });

  it("overlays one line per backend, each through every step it recorded, and draws each one's difference from manual", () => {
    const html = readFileSync(page, "utf8");
    const backends = ["manual", "autograd", "tfjs"];
    expect(lines(html, "step-loss")).toEqual(backends.map((run) => ({ run, vertices: stepsIn(join(out, run)) })));
    for (const id of ["valid-loss", "valid-accuracy", "train-loss"]) expect(lines(html, id).map((l) => [l.run, l.vertices]), id).toEqual(backends.map((b) => [b, 2]));
    expect(lines(html, "loss-difference-log").map((l) => l.run)).toEqual(["autograd", "tfjs"]);
    expect(html).toMatch(/<figcaption>\|Δ\| on a log scale[^<]*(No step&#39;s losses are identical|Identical losses \(Δ = 0, \d+ step\(s\)\) are drawn at 1e-\d+)/);
  });

  it("holds comparison.txt's final figures and links each backend's own report.html", () => {
    const html = readFileSync(page, "utf8");
    const rows = JSON.parse(readFileSync(join(out, "comparison.json"), "utf8")) as { final: { valid_accuracy: number } }[];
    expect(html).toContain(`<tr><th>valid_accuracy</th>${rows.map((r) => `<td class="number">${r.final.valid_accuracy.toFixed(4)}</td>`).join("")}</tr>`);
    for (const backend of ["manual", "autograd", "tfjs"]) {
      expect(html).toContain(`<a href="${backend}/report.html">${backend}</a>`);
      expect(existsSync(join(out, backend, "report.html")), backend).toBe(true);
    }
    expect(html).not.toMatch(/<script|https?:\/\/|\bsrc=/);
  });

  it("is rebuilt by crossprop report COMPARISON_DIR", () => {
    const before = readFileSync(page, "utf8");
    const rebuilt = crossprop(["report", out]);
    expect(rebuilt.stderr).toBe("");
    expect(rebuilt.status).toBe(0);
    expect(rebuilt.stdout).toBe(`report: ${page}\n`);
    expect(readFileSync(page, "utf8")).toBe(before);
  });
});

describe("crossprop run --backend manual,tfjs --no-report", () => {
  it("writes no report.html, for the comparison or its backends, and prints no report line", () => {
    const out = join(tempDir(), "compare");
    const result = crossprop(["run", writeConfig(tiny), "--backend", "manual,tfjs", "--quiet", "--no-report", "--out", out]);
    expect(result.status).toBe(0);
    expect(existsSync(join(out, "comparison.json"))).toBe(true);
    for (const file of ["report.html", "manual/report.html", "tfjs/report.html"]) expect(existsSync(join(out, file)), file).toBe(false);
    expect(result.stdout).not.toMatch(/^report: /m);
  });
});

describe("crossprop report RUN_A RUN_B", () => {
  const cwd = tempDir();
  const config = writeConfig(tiny, cwd);
  const a = crossprop(["run", config, "--out", "a", "--quiet", "--no-report"], cwd);
  const b = crossprop(["run", config, "--set", "optimizer.lr=0.05", "--out", "b", "--quiet"], cwd);

  it("writes compare-a-vs-b.html in the current directory: both runs' curves, the config differences, both final metrics", () => {
    expect([a.status, b.status]).toEqual([0, 0]);
    const result = crossprop(["report", "a", "b"], cwd);
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    const page = join(cwd, "compare-a-vs-b.html");
    expect(result.stdout).toBe(`report: ${page}\n`);
    const html = readFileSync(page, "utf8");
    expect(lines(html, "step-loss")).toEqual([{ run: "a", vertices: stepsIn(join(cwd, "a")) }, { run: "b", vertices: stepsIn(join(cwd, "b")) }]);
    expect(lines(html, "loss-difference").map((l) => l.run)).toEqual(["b"]);
    expect(/<ul class="config-differences">([\s\S]*?)<\/ul>/.exec(html)![1]).toBe("<li><code>optimizer.lr</code>: 0.1 → 0.05</li>");
    const accuracy = (dir: string) => (JSON.parse(readFileSync(join(cwd, dir, "summary.json"), "utf8")) as { final: { valid_accuracy: number } }).final.valid_accuracy.toFixed(4);
    expect(html).toContain(`<tr><th>valid_accuracy</th><td class="number">${accuracy("a")}</td><td class="number">${accuracy("b")}</td></tr>`);
    // b has its report.html (a was run with --no-report): linked relative to the page
    expect(html).toContain(`<a href="b/report.html">report.html</a>`);
    expect(html).toContain("<code>crossprop report a</code>");
  });

  it("writes to --out, and refuses a second path that is not a run directory (exit 2, one line)", () => {
    const out = crossprop(["report", "a", "b", "--out", "pages/ab.html"], cwd);
    expect(out.status).toBe(0);
    expect(readFileSync(join(cwd, "pages/ab.html"), "utf8")).toContain(`<a href="../b/report.html">report.html</a>`);
    const refused = crossprop(["report", "a", "."], cwd);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(/^error: [^\n]+\n$/);
  });
});
