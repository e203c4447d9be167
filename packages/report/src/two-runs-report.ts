import { UserError } from "@crossprop/core";

/** `crossprop report RUN_A RUN_B`: two runs' curves overlaid and their config differences listed. */
export async function twoRunsReportHtml(a: string, b: string): Promise<string> {
  throw new UserError(`${a} vs ${b}: two-run reports are not built yet`);
}
