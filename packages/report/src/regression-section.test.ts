import { describe, expect, it } from "vitest";
import { MAX_POINTS } from "./downsample.ts";
import type { ValuePredictions } from "./predictions.ts";
import { predictedVsActualChart, regressionSectionHtml } from "./regression-section.ts";

function predictions(count: number): ValuePredictions {
  const targets = Float64Array.from({ length: count }, (_, i) => i / 10);
  return { kind: "values", count, width: 1, targets, predictions: targets.map((t, i) => t + (i % 3) - 1), loss: new Float64Array(count) };
}

describe("predictedVsActualChart", () => {
  it("keeps every example of a small set, and the y = x line from the lowest to the highest value", () => {
    const spec = predictedVsActualChart(predictions(50)) as unknown as { layer: { data: { values: { actual: number; predicted: number }[] } }[] };
    expect(spec.layer[1]!.data.values).toHaveLength(50);
    expect(spec.layer[0]!.data.values).toEqual([{ actual: -1, predicted: -1 }, { actual: 5.7, predicted: 5.7 }]);
  });

  it("draws at most MAX_POINTS of a large set, evenly spaced, and says so in the title", () => {
    const spec = predictedVsActualChart(predictions(5000)) as unknown as { title: string; layer: { data: { values: { actual: number }[] } }[] };
    const points = spec.layer[1]!.data.values;
    expect(points.length).toBeLessThanOrEqual(MAX_POINTS);
    expect(points[1]!.actual - points[0]!.actual).toBeCloseTo(0.3, 6);
    expect(spec.title).toContain("(1 in 3 of 5000 examples)");
  });
});

describe("regressionSectionHtml", () => {
  it("says why there is nothing to compare: hidden layers, no final.safetensors, no predictions.csv", async () => {
    const weight = { name: "layers.0.weight", shape: [2, 4], data: new Float32Array(8) };
    const deep = new Map([["layers.0.weight", weight], ["layers.1.weight", { ...weight, shape: [4, 1] }]]);
    const config = { value: { model: { hidden: [4] }, data: { synthetic: { weights: [1, 2], bias: 0 } } } } as never;
    const html = await regressionSectionHtml(config, { init: null, final: deep, gradients: null }, null);
    expect(html).toContain("The model has hidden layers (4 units), so its parameters do not correspond to the true weights and bias.");
    expect(html).toContain("predictions.csv is absent (a run from before predictions were saved), so predicted against actual is not shown.");
    expect(await regressionSectionHtml(config, { init: null, final: null, gradients: null }, null)).toContain("final.safetensors is absent");
  });
});
