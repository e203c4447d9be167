import { UserError } from "@crossprop/core";

/** results.html of a sweep directory: the objective per trial, the best marked, a link to each trial's report. */
export async function sweepReportHtml(dir: string): Promise<string> {
  throw new UserError(`${dir}: sweep reports are not built yet`);
}
