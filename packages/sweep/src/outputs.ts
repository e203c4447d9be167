import { appendFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { writeFileAtomic } from "@crossprop/core";
import { resultsCsv } from "./csv.ts";
import { junitXml } from "./junit.ts";
import { summaryMarkdown } from "./markdown.ts";
import type { SweepResults } from "./results.ts";

export const OUTPUT_FILES = ["results.json", "results.csv", "summary.md", "junit.xml"] as const;

/**
 * Writes the sweep's result files into `dir`, each whole or not at all (atomic-write.ts), and
 * appends summary.md to `stepSummary` — the file $GITHUB_STEP_SUMMARY names in a GitHub job.
 */
export function writeOutputs(dir: string, results: SweepResults, stepSummary?: string): void {
  mkdirSync(dir, { recursive: true });
  const markdown = summaryMarkdown(results);
  writeFileAtomic(join(dir, "results.json"), `${JSON.stringify(results, null, 2)}\n`);
  writeFileAtomic(join(dir, "results.csv"), resultsCsv(results));
  writeFileAtomic(join(dir, "summary.md"), markdown);
  writeFileAtomic(join(dir, "junit.xml"), junitXml(results));
  if (stepSummary) appendFileSync(stepSummary, `${markdown}\n`);
}
