import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runTrial } from "./run-trial.ts";
import { trialReport } from "./trial-report.ts";

const dir = mkdtempSync(join(tmpdir(), "crossprop-trial-report-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// A real MNIST subset, as a sweep's trial runs it: a fraction of a second.
const text = "name: trial-report\ndata: { train_size: 200, test_size: 100 }\nmodel: { hidden: [8] }\ntraining: { epochs: 1 }\n";
const trial = (name: string, sets: string[], report?: boolean) => ({ file: join(dir, "config.yaml"), text, sets, dir: join(dir, name), ...(report === undefined ? {} : { report }) });

describe("a trial's report.html", () => {
  it("is written into a completed trial's directory, and into a diverged one's", async () => {
    const completed = await runTrial(trial("completed", []));
    expect(completed).toEqual({ status: "completed", error: null });
    expect(readFileSync(join(dir, "completed", "report.html"), "utf8")).toMatch(/<h1>trial-report<\/h1>[\s\S]*class="status completed"/);
    const diverged = await runTrial(trial("diverged", ["optimizer.lr=1.0e+30"]));
    expect(diverged.status).toBe("diverged");
    expect(diverged.warnings).toBeUndefined();
    expect(readFileSync(join(dir, "diverged", "report.html"), "utf8")).toMatch(/class="status diverged">diverged</);
  });

  it("is not written with report: false (--no-report)", async () => {
    expect(await runTrial(trial("no-report", [], false))).toEqual({ status: "completed", error: null });
    expect(existsSync(join(dir, "no-report", "summary.json"))).toBe(true);
    expect(existsSync(join(dir, "no-report", "report.html"))).toBe(false);
  });

  it("that cannot be built is a warning naming the file, never a thrown error", async () => {
    const unfinished = join(dir, "unfinished");
    mkdirSync(unfinished);
    writeFileSync(join(unfinished, "summary.json"), JSON.stringify({ status: "running" }));
    const { warnings } = await trialReport({ dir: unfinished });
    expect(warnings).toHaveLength(1);
    expect(warnings![0]).toMatch(new RegExp(`^trial report not written: ${unfinished}/report\\.html: .*not completed or diverged; the trial's result stands \\(crossprop report ${unfinished} rebuilds it\\)$`));
    expect(existsSync(join(unfinished, "report.html"))).toBe(false);
  });
});
