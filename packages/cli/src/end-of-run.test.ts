import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { printChart, printReportPath, writeReportOrWarn } from "./end-of-run.ts";

afterEach(() => vi.restoreAllMocks());

/** What `body` writes to stderr. */
async function stderrOf(body: () => unknown): Promise<string> {
  let text = "";
  vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => ((text += String(chunk)), true));
  await body();
  return text;
}

describe("writeReportOrWarn", () => {
  it("a report that cannot be built is a warning line naming the file, and no path", async () => {
    const dir = mkdtempSync(join(tmpdir(), "crossprop-end-of-run-"));
    writeFileSync(join(dir, "summary.json"), "{ not json");
    let path: string | null = "unset";
    const stderr = await stderrOf(async () => (path = await writeReportOrWarn(dir, "tfjs")));
    expect(path).toBeNull();
    // one line, broken at spaces to the width (80 off a terminal)
    const line = stderr.replace(/\n  /g, " ");
    expect(line).toMatch(new RegExp(`^warning: tfjs: report\\.html not written: ${dir} holds no finished run: its summary\\.json .*\\n$`));
    expect(line.split("\n")).toHaveLength(2);
  });
});

describe("printChart and printReportPath", () => {
  it("the chart on stderr unless quiet, the report's path on the given stream", async () => {
    const history = { stepLosses: [2, 1.5, 1], epochs: [{ epoch: 1, step: 3, train_loss: 1.5, valid_loss: 1.2, valid_accuracy: 0.6, seconds: 1, eval_seconds: 0 }] };
    let out = "";
    const stream = { write: (chunk: string) => ((out += chunk), true) } as unknown as NodeJS.WritableStream;
    expect(await stderrOf(() => printChart(history, false))).toMatch(/^loss per step \(3 steps\)\n/);
    expect(await stderrOf(() => printChart(history, true))).toBe("");
    printReportPath("/r/report.html", stream);
    printReportPath(null, stream);
    expect(out).toBe("report: /r/report.html\n");
  });
});
