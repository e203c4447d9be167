import type { ReportTarget } from "@crossprop/report";
import { UserError } from "@crossprop/core";
import { prepareFile } from "@crossprop/run";

export interface ReportCommandOptions {
  /** The HTML file to write (default: beside what it reports on; see reportTarget). */
  out?: string;
}

/**
 * `crossprop report PATH [PATH_B]`: builds (or rebuilds) the self-contained page of a run directory,
 * a comparison directory, a sweep directory or a check report; with two run directories, the page
 * comparing them. Exit 0 = written; 2 = not something crossprop reports on, or an unwritable output.
 */
export async function reportCommand(paths: string[], options: ReportCommandOptions): Promise<number> {
  // The report package (vega) loads with this command only: the others train without its memory.
  const report = await import("@crossprop/report");
  const { reportTarget, twoRunsReportFile, twoRunsReportHtml, writeHtmlFile } = report;
  // What is reported on is read first: a wrong PATH is the likelier mistake, and the default output lives beside it.
  const targets = paths.map(reportTarget);
  const [first, second] = targets as [ReportTarget, ReportTarget | undefined];
  if (second) {
    for (const target of targets) if (target.kind !== "run") throw new UserError(`${target.path}: two paths are compared as runs, and this is a ${target.kind} ${target.kind === "check" ? "report" : "directory"}`);
    // In the current directory by default: each run's directory belongs to that run.
    const out = prepareFile(options.out ?? twoRunsReportFile(first.path, second.path), "report file");
    writeHtmlFile(out, await twoRunsReportHtml(first.path, second.path, out));
    return done(out);
  }
  const html = await pageOf(report, first, options.out ?? first.defaultOut);
  const out = prepareFile(options.out ?? first.defaultOut, "report file");
  writeHtmlFile(out, html);
  return done(out);
}

/** `out`: where the page goes, for the pages whose links are relative to it. */
async function pageOf(report: typeof import("@crossprop/report"), target: ReportTarget, out: string): Promise<string> {
  const { checkReportHtml, comparisonReportHtml, readRunFiles, runReportHtml, sweepReportHtml } = report;
  switch (target.kind) {
    case "run":
      return runReportHtml(readRunFiles(target.path));
    case "comparison":
      return comparisonReportHtml(target.path);
    case "sweep":
      return sweepReportHtml(target.path, out);
    case "check":
      return checkReportHtml(target.path);
  }
}

function done(out: string): number {
  process.stdout.write(`report: ${out}\n`);
  return 0;
}
