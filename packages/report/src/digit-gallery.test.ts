import type { Experiment } from "@crossprop/config";
import { describe, expect, it } from "vitest";
import { digitGalleryHtml, probability } from "./digit-gallery.ts";
import type { ClassPredictions } from "./predictions.ts";

const wrongOnce: ClassPredictions = { kind: "classes", count: 2, labels: Int32Array.of(0, 1), predicted: Int32Array.of(1, 1), probability: Float64Array.of(0.8, 0.9), loss: new Float64Array(2) };

/** An experiment whose validation set is `count` examples of `features` byte inputs labelled `labels`. */
function data(features: number, labels: number[]): () => { value: Experiment } {
  const valid = { count: labels.length, features, inputs: new Uint8Array(labels.length * features), inputDivisor: 255, labels: Int32Array.from(labels), targets: null, targetWidth: 0 };
  return () => ({ value: { dataset: { valid } } as unknown as Experiment });
}

describe("digitGalleryHtml", () => {
  it("shows a wrong example with its caption, 3× its size", () => {
    const html = digitGalleryHtml(wrongOnce, ["zero", "one"], data(4, [0, 1]));
    expect(html).toMatch(/<img src="data:image\/png;base64,[^"]+" width="6" height="6" alt="validation example 0: a zero predicted as one"><figcaption>true zero → one<br>p 0\.800 · #0<\/figcaption>/);
    expect(html.match(/<img /g)).toHaveLength(1);
  });

  it("says why in one sentence when the validation set is not the one predicted, or not images", () => {
    expect(digitGalleryHtml(wrongOnce, ["0", "1"], data(4, [0, 1, 1]))).toBe("<p>The misclassified digits cannot be shown: the validation set has 3 examples but predictions.csv 2.</p>");
    expect(digitGalleryHtml(wrongOnce, ["0", "1"], data(4, [1, 1]))).toContain("validation example 0 is a 1 but predictions.csv says 0");
    expect(digitGalleryHtml(wrongOnce, ["0", "1"], data(3, [0, 1]))).toContain("the 3 inputs per example are not a square image");
    expect(digitGalleryHtml(wrongOnce, ["0", "1"], () => ({ why: "config.resolved.yaml is absent" }))).toBe("<p>The misclassified digits cannot be shown: config.resolved.yaml is absent.</p>");
  });

  it("does not load the data when nothing was misclassified", () => {
    const right = { ...wrongOnce, predicted: Int32Array.of(0, 1) };
    expect(digitGalleryHtml(right, ["0", "1"], () => { throw new Error("loaded"); })).toMatch(/^<p>No validation example was misclassified/);
  });
});

describe("probability", () => {
  it("writes 3 decimals, and a probability near 1 as 1 − ε so that near-certain mistakes stay apart", () => {
    expect(probability(0.61)).toBe("0.610");
    expect(probability(0.9999963)).toBe("1 − 3.7e-6");
    expect(probability(1)).toBe("1.000");
    expect(probability(NaN)).toBe("NaN");
  });
});
