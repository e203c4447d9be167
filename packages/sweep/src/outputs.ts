import { appendFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { writeFileAtomic } from "@crossprop/core";
import { ioReason, prepareDirectory, writingTo } from "@crossprop/run";
// The report package (vega) is loaded only to write results.html, so a sweep's trials never carry it.
const SWEEP_REPORT_FILE = "results.html";
import { resultsCsv } from "./csv.ts";
import { junitXml } from "./junit.ts";
import { summaryMarkdown } from "./markdown.ts";
import type { SweepResults } from "./results.ts";

export const OUTPUT_FILES = ["results.json", "results.csv", "summary.md", "junit.xml", SWEEP_REPORT_FILE] as const;

/**
 * Creates and probes the sweep directory before any trial runs, so an `--out` that is a file (or
 * a read-only or full disk) is refused up front (exit 2) instead of after every trial.
 */
export function prepareSweepDirectory(dir: string): void {
  prepareDirectory(dir, "sweep directory");
}

/**
 * Writes the sweep's result files into `dir`, each whole or not at all (atomic-write.ts); a failed
 * write is an OutputWriteError (exit 1). Then results.html, built from the results.json just
 * written, and summary.md appended to `stepSummary` — the file $GITHUB_STEP_SUMMARY names in a
 * GitHub job: the results stand without either, so their failures are only warnings, returned.
 */
export async function writeOutputs(dir: string, results: SweepResults, stepSummary?: string): Promise<string[]> {
  prepareSweepDirectory(dir);
  const markdown = summaryMarkdown(results);
  const write = (name: string, text: string) => {
    const file = join(dir, name);
    writingTo(file, () => writeFileAtomic(file, text));
  };
  write("results.json", `${JSON.stringify(results, null, 2)}\n`);
  write("results.csv", resultsCsv(results));
  write("summary.md", markdown);
  write("junit.xml", junitXml(results));
  return [...(await resultsPage(dir)), ...(stepSummary ? appendStepSummary(stepSummary, markdown) : [])];
}

/** results.html is a view of results.json: if it cannot be built or written, `crossprop report DIR` can make it later. */
async function resultsPage(dir: string): Promise<string[]> {
  try {
    const { writeSweepReport } = await import("@crossprop/report");
    await writeSweepReport(dir);
    return [];
  } catch (error) {
    return [`${join(dir, SWEEP_REPORT_FILE)} was not written: ${error instanceof Error ? error.message : String(error)}; the results stand (crossprop report ${dir} rebuilds it)`];
  }
}

/** The job summary is a courtesy: if it cannot be written the sweep's outcome stands. */
function appendStepSummary(file: string, markdown: string): string[] {
  const warning = (reason: string) => [`$GITHUB_STEP_SUMMARY ${file}: ${reason}; the job summary was not written`];
  try {
    // A FIFO with no reader would block the open forever.
    const stats = statSync(file, { throwIfNoEntry: false });
    if (stats?.isDirectory()) return warning("is a directory");
    if (stats && !stats.isFile() && !stats.isCharacterDevice()) return warning("is not a regular file");
    appendFileSync(file, `${markdown}\n`);
    return [];
  } catch (error) {
    return warning(ioReason(error));
  }
}
