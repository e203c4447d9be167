import { describe, expect, it } from "vitest";
import { summaryMarkdown } from "./markdown.ts";
import { fixtureResults, trialRecord } from "./records.fixture.ts";

describe("summaryMarkdown", () => {
  it("heads with the outcome and counts, then a table best first, then expect_best", () => {
    const results = fixtureResults([trialRecord(1, { accuracy: 0.7 }), trialRecord(2, { accuracy: 0.9 })], { expect_best: { valid_accuracy: { min: 0.8 } } });
    const lines = summaryMarkdown(results).trimEnd().split("\n");
    expect(lines[0]).toBe("## ✅ Sweep `fixture`: 2 trials (4 grid)");
    expect(lines).toContain("2 completed, 0 diverged, 0 failed, 0 not run; 2 of 2 passed.");
    expect(lines).toContain("Best valid_accuracy (max): **0.9000**, trial #2 `000000000002`.");
    expect(lines).toContain("| rank | # | id | optimizer.lr | model.hidden | status | valid_accuracy | valid_loss | train_loss | expect | s |");
    const rows = lines.filter((line) => /^\| \d/.test(line));
    expect(rows.map((row) => row.split(" | ")[1])).toEqual(["2", "1"]);
    expect(lines.at(-1)).toBe("- ✓ expect valid_accuracy ≥ 0.8: got 0.9");
    // The chart (mermaid.test.ts) sits between the best trial's line and the table.
    const best = lines.indexOf("Best valid_accuracy (max): **0.9000**, trial #2 `000000000002`.");
    expect(lines.slice(best + 1, best + 4)).toEqual(["", "```mermaid", "xychart-beta"]);
    expect(lines.indexOf("```", best + 2)).toBeLessThan(lines.findIndex((line) => line.startsWith("| rank |")));
  });

  it("escapes pipes in cells and marks a failed sweep", () => {
    const results = fixtureResults([trialRecord(1, { params: { "data.path": "a|b", "optimizer.lr": 1 }, status: "failed", passed: false })], {
      plan: { hash: "0123456789ab", shape: "1 grid", size: 1, duplicates: 0, paths: ["data.path"], trials: [] },
    });
    const text = summaryMarkdown(results);
    expect(text).toMatch(/^## ❌ /);
    expect(text).toContain("| a\\|b |");
  });
});
