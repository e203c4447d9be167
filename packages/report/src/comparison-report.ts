import { UserError } from "@crossprop/core";

/** The report of a comparison directory (`run --backend a,b,…`): every backend's curves overlaid. */
export async function comparisonReportHtml(dir: string): Promise<string> {
  throw new UserError(`${dir}: comparison reports are not built yet`);
}
