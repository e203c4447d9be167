import { describeExpectation } from "@crossprop/run";
import { objectiveChartLines } from "./mermaid.ts";
import type { SweepResults } from "./results.ts";
import { resultColumns } from "./table.ts";

/** summary.md: a heading, the counts, a chart of the objective per trial, the results table best first, expect_best. GitHub renders it. */
export function summaryMarkdown(results: SweepResults): string {
  const { head, rows } = resultColumns(results);
  const { counts, objective, best } = results;
  const chart = objectiveChartLines(results);
  if (chart.length > 0) chart.push("");
  const scope = results.shard ? `, shard ${results.shard.index}/${results.shard.count}` : "";
  const lines = [
    `## ${results.passed ? "✅" : "❌"} Sweep \`${results.name}\`${scope}: ${counts.trials} trials (${results.plan.shape})`,
    "",
    `${counts.completed} completed, ${counts.diverged} diverged, ${counts.failed} failed, ${counts.not_run} not run; ${counts.passed} of ${counts.trials} passed.`,
    best ? `Best ${objective.metric} (${objective.goal}): **${best.value.toFixed(4)}**, trial #${best.index} \`${best.id}\`.` : `No trial has a ${objective.metric}.`,
    "",
    ...chart,
    row(head),
    row(head.map(() => "---")),
    ...rows.map(row),
  ];
  if (results.best_expectations.length > 0) {
    lines.push("", "expect_best:", "", ...results.best_expectations.map((e) => `- ${describeExpectation(e)}`));
  }
  return `${lines.join("\n")}\n`;
}

function row(cells: readonly string[]): string {
  return `| ${cells.map((cell) => cell.replace(/\|/g, "\\|")).join(" | ")} |`;
}
