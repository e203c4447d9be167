import { join } from "node:path";
import { readRunFiles, REPORT_FILE, runReportHtml, writeHtmlFile } from "@crossprop/report";
import { prepareFile } from "@crossprop/run";

export interface ReportCommandOptions {
  /** The HTML file to write (default RUN_DIR/report.html). */
  out?: string;
}

/**
 * `crossprop report RUN_DIR`: builds (or rebuilds) the self-contained report.html of a finished run
 * from its files. Exit 0 = written; 2 = not a run directory, or an output path that cannot be written.
 */
export async function reportCommand(runDir: string, options: ReportCommandOptions): Promise<number> {
  // The run is read first: a wrong RUN_DIR is the likelier mistake, and the default output lives in it.
  const files = readRunFiles(runDir);
  const out = prepareFile(options.out ?? join(runDir, REPORT_FILE), "report file");
  writeHtmlFile(out, await runReportHtml(files));
  process.stdout.write(`report: ${out}\n`);
  return 0;
}
