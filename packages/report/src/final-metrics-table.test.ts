import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { writeRunFixture } from "./comparison.fixture.ts";
import { finalMetricsTable } from "./final-metrics-table.ts";
import { readRunFiles } from "./run-files.ts";

describe("finalMetricsTable", () => {
  const root = mkdtempSync(join(tmpdir(), "crossprop-final-metrics-"));
  const completed = readRunFiles(writeRunFixture(join(root, "a"), { backend: "manual", losses: Array(20).fill(1), accuracies: [0.5, 0.91234] })).summary;
  const diverged = readRunFiles(writeRunFixture(join(root, "b"), { backend: "tfjs", status: "diverged", losses: [1, 2, 3], accuracies: [] })).summary;

  it("has comparison.txt's rows, one column per run, numbers as comparison.txt rounds them", () => {
    const html = finalMetricsTable([{ name: "manual", summary: completed }, { name: "tfjs", summary: diverged, divergedAtStep: 4 }]);
    const rows = [...html.matchAll(/<tr><th>([^<]*)<\/th>((?:<td[^>]*>[^<]*<\/td>)+)<\/tr>/g)].map((m) => [m[1], ...[...m[2]!.matchAll(/>([^<]*)<\/td>/g)].map((c) => c[1])]);
    expect(rows).toEqual([
      ["status", "completed", "diverged at step 4"],
      ["engine", "wasm", "wasm"],
      ["epochs", "2", "0.3"],
      ["steps", "20", "3"],
      ["evaluations", "2", "0"],
      ["train_loss", "0.5000", "–"],
      ["valid_loss", "0.6000", "–"],
      ["valid_accuracy", "0.9123", "–"],
      ["s/epoch (median)", "0.25", "–"],
      ["samples/s", "12,346", "–"],
      ["process peak RSS (MB)", "150", "150"],
      ["expect: met", "1 of 1 ✓", "1 of 1 ✓"],
    ]);
  });

  it("says where a diverged run stopped from its summary when comparison.json did not say", () => {
    expect(finalMetricsTable([{ name: "tfjs", summary: diverged }])).toContain(">diverged at step 4<");
  });
});
