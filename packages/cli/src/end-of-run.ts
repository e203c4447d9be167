import type { Experiment } from "@crossprop/config";
import type { TrainHistory } from "@crossprop/run";
import { outputWidth, escapesAllowed, wrapLine } from "./terminal.ts";
import { endOfRunChart } from "./text-chart.ts";

/**
 * Writes report.html in a finished run's directory; returns its path, or null after a `warning:`
 * line on stderr. The run is already recorded, so a report that cannot be built or written (a full
 * disk, an unreadable file) never changes the command's exit code.
 */
export async function writeReportOrWarn(runDir: string, label: string | null, data?: Experiment): Promise<string | null> {
  try {
    // The data the run trained on is handed in, so the page does not load the dataset a second time.
    // Loaded here, after training: the charting libraries are ~50 MB the training never needs.
    const { writeRunReport } = await import("@crossprop/report");
    return await writeRunReport(runDir, undefined, data ? { data } : {});
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const width = outputWidth(process.stderr);
    process.stderr.write(`${wrapLine(`warning: ${label ? `${label}: ` : ""}report.html not written: ${message}`, width)}\n`);
    return null;
  }
}

/** The text chart of a one-backend run's steps and evaluations, on stderr with the progress (so --quiet drops it). */
export function printChart(history: TrainHistory, quiet: boolean): void {
  if (quiet) return;
  const chart = endOfRunChart(history, { width: outputWidth(process.stderr), colour: escapesAllowed(process.stderr) });
  if (chart !== "") process.stderr.write(`${chart}\n`);
}

/** `report: PATH` on the human stream, below the run directory's line. */
export function printReportPath(report: string | null, out: NodeJS.WritableStream): void {
  if (report) out.write(`${wrapLine(`report: ${report}`, outputWidth(out))}\n`);
}
