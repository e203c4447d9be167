import { chartFigure } from "./page.ts";
import { confusionChart, perClassAccuracyChart } from "./confusion-charts.ts";
import { confusionMatrix, mostConfusedPairs } from "./confusion.ts";
import { escapeHtml as e } from "./escape.ts";
import type { ClassPredictions } from "./predictions.ts";

const PAIRS = 10;

/** The validation confusion matrix (counts and row-normalised), accuracy per class and the most-confused pairs. */
export async function confusionSectionHtml(p: ClassPredictions, classNames: readonly string[]): Promise<string> {
  if (p.count === 0) return "<p>predictions.csv holds no validation examples.</p>";
  const c = confusionMatrix(p, classNames.length);
  const pairs = mostConfusedPairs(c, PAIRS);
  const percent = (share: number) => `${(share * 100).toFixed(1)}%`;
  const table = pairs.length === 0
    ? "<p>No validation example was misclassified.</p>"
    : `<table class="numbers" id="most-confused"><tr><th>true → predicted</th><th>examples</th><th>share of the true class</th></tr>${pairs
        .map((x) => `<tr><td>${e(classNames[x.label])} → ${e(classNames[x.predicted])}</td><td>${x.count}</td><td>${percent(x.share)}</td></tr>`)
        .join("")}</table>`;
  return `${await chartFigure("confusion-counts", confusionChart(c, classNames, false))}${await chartFigure("confusion-normalised", confusionChart(c, classNames, true))}
${await chartFigure("per-class-accuracy", perClassAccuracyChart(c, classNames))}
<h3>most-confused pairs</h3>
${table}`;
}
