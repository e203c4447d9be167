import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { UserError } from "@crossprop/core";
import { describe, expect, it } from "vitest";
import { OUTPUT_FILES, prepareSweepDirectory, writeOutputs } from "./outputs.ts";
import { fixtureResults, trialRecord } from "./records.fixture.ts";

const temp = () => mkdtempSync(join(tmpdir(), "crossprop-outputs-"));
const results = fixtureResults([trialRecord(1, { accuracy: 0.9 })]);

describe("writeOutputs", () => {
  it("writes the five result files and appends summary.md to the job summary", async () => {
    const dir = join(temp(), "sweep");
    const summary = join(temp(), "step-summary.md");
    writeFileSync(summary, "earlier\n");
    expect(await writeOutputs(dir, results, summary)).toEqual([]);
    expect(readdirSync(dir).sort()).toEqual([...OUTPUT_FILES].sort());
    expect(readFileSync(summary, "utf8")).toBe(`earlier\n${readFileSync(join(dir, "summary.md"), "utf8")}\n`);
    // results.html is built from the results.json beside it.
    expect(readFileSync(join(dir, "results.html"), "utf8")).toMatch(/<h1>sweep fixture<\/h1>[\s\S]*<strong>0\.9000<\/strong>, trial #1 <code>000000000001<\/code>/);
  });

  it("a job summary that cannot be written is a warning, the results are still written", async () => {
    const dir = join(temp(), "sweep");
    const summary = temp();
    expect(await writeOutputs(dir, results, summary)).toEqual([`$GITHUB_STEP_SUMMARY ${summary}: is a directory; the job summary was not written`]);
    expect(readdirSync(dir)).toHaveLength(OUTPUT_FILES.length);
  });

  it("a results.html that cannot be written is a warning, the other files are written", async () => {
    const dir = join(temp(), "sweep");
    mkdirSync(join(dir, "results.html"), { recursive: true });
    const warnings = await writeOutputs(dir, results);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(new RegExp(`^${dir}/results\\.html was not written: .*; the results stand \\(crossprop report ${dir} rebuilds it\\)$`));
    expect(JSON.parse(readFileSync(join(dir, "results.json"), "utf8")).best.index).toBe(1);
  });

  it("a FIFO as the job summary is a warning, not a hang (opening it would block with no reader)", async () => {
    const fifo = join(temp(), "fifo");
    expect(spawnSync("mkfifo", [fifo]).status).toBe(0);
    expect(await writeOutputs(join(temp(), "sweep"), results, fifo)).toEqual([`$GITHUB_STEP_SUMMARY ${fifo}: is not a regular file; the job summary was not written`]);
  });
});

describe("prepareSweepDirectory", () => {
  it("refuses a file (exit 2) before any trial runs", () => {
    const file = join(temp(), "taken");
    writeFileSync(file, "");
    let error: unknown;
    try {
      prepareSweepDirectory(file);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(UserError);
    expect([(error as UserError).message, (error as UserError).exitCode]).toEqual([`sweep directory ${file}: is a file, not a directory`, 2]);
  });
});
