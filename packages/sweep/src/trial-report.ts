import { join } from "node:path";
import { OutputWriteError } from "@crossprop/run";

/**
 * Writes a finished trial's report.html into its run directory. The trial's result is in its
 * summary.json already, so a report that cannot be built or written is a warning, never a lost trial.
 */
export async function trialReport(request: { dir: string; report?: boolean }): Promise<{ warnings?: string[] }> {
  if (request.report === false) return {};
  try {
    // Loaded on first use: vega takes ~0.2 s to load per worker thread, which --no-report saves.
    const { writeRunReport } = await import("@crossprop/report");
    await writeRunReport(request.dir);
    return {};
  } catch (error) {
    // An OutputWriteError names its file already ("cannot write …: no space left on device").
    const problem = error instanceof OutputWriteError ? error.message : `${join(request.dir, "report.html")}: ${error instanceof Error ? error.message : String(error)}`;
    return { warnings: [`trial report not written: ${problem}; the trial's result stands (crossprop report ${request.dir} rebuilds it)`] };
  }
}
