import { UserError } from "@crossprop/core";

/** The page of a check report (the JSON `check --json` writes): per-step differences against tolerance. */
export async function checkReportHtml(file: string): Promise<string> {
  throw new UserError(`${file}: check reports are not built yet`);
}
