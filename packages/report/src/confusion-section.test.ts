import { describe, expect, it } from "vitest";
import { confusionSectionHtml } from "./confusion-section.ts";
import type { ClassPredictions } from "./predictions.ts";
import { figureById, markCount, markTexts } from "./svg-marks.fixture.ts";

const HOSTILE = `<script>alert("x")</script>&'`;

function predictions(labels: number[], predicted: number[]): ClassPredictions {
  return { kind: "classes", count: labels.length, labels: Int32Array.from(labels), predicted: Int32Array.from(predicted), probability: new Float64Array(labels.length).fill(0.9), loss: new Float64Array(labels.length) };
}

describe("confusionSectionHtml", () => {
  it("escapes class names in the charts and the pairs table", async () => {
    const html = await confusionSectionHtml(predictions([0, 1, 1], [0, 0, 1]), [HOSTILE, "b"]);
    expect(html).not.toContain("<script");
    expect(html).toContain(`<td>b → &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;</td><td>1</td><td>50.0%</td>`);
  });

  it("writes each cell's count and its share of the true class; a class without examples has no bar", async () => {
    const html = await confusionSectionHtml(predictions([0, 0, 0, 2], [0, 0, 1, 2]), ["a", "b", "c"]);
    expect(markTexts(figureById(html, "confusion-counts")).map(Number)).toEqual([2, 1, 0, 0, 0, 0, 0, 0, 1]);
    expect(markTexts(figureById(html, "confusion-normalised"))).toEqual(["67%", "33%", "0%", "0%", "0%", "0%", "0%", "0%", "100%"]);
    expect(markCount(figureById(html, "per-class-accuracy"), "bar")).toBe(2);
    expect(markTexts(figureById(html, "per-class-accuracy"))).toEqual(["66.7%", "100.0%"]);
  });

  it("says so when no example was misclassified, and when there are none", async () => {
    expect(await confusionSectionHtml(predictions([0, 1], [0, 1]), ["a", "b"])).toContain("<p>No validation example was misclassified.</p>");
    expect(await confusionSectionHtml(predictions([], []), ["a", "b"])).toBe("<p>predictions.csv holds no validation examples.</p>");
  });
});
