import type { Config } from "@crossprop/config";
import type { TopLevelSpec } from "vega-lite";
import { MAX_POINTS, short } from "./downsample.ts";
import { chartFigure } from "./page.ts";
import { escapeHtml as e } from "./escape.ts";
import type { ValuePredictions } from "./predictions.ts";
import type { Loaded } from "./run-data.ts";
import { layerCount, type RunTensors } from "./run-tensors.ts";

const BASE = { $schema: "https://vega.github.io/schema/vega-lite/v6.json", background: "white" } as const;

/** For dataset synthetic-linear: the learned parameters against the true ones, and predicted against actual. */
export async function regressionSectionHtml(config: Loaded<Config>, tensors: RunTensors, p: ValuePredictions | null): Promise<string> {
  const parameters = parametersHtml(config, tensors);
  const scatter = p === null
    ? "<p>predictions.csv is absent (a run from before predictions were saved), so predicted against actual is not shown.</p>"
    : p.count === 0 ? "<p>predictions.csv holds no validation examples.</p>" : await chartFigure("predicted-vs-actual", predictedVsActualChart(p));
  return `<h3>learned against true parameters</h3>\n${typeof parameters === "string" ? parameters : `<p>Black ticks: the true values (data.synthetic); red dots: the learned ones (final.safetensors).</p>${await chartFigure("learned-vs-true", parameters)}`}\n<h3>predicted against actual</h3>\n${scatter}`;
}

function parametersHtml(config: Loaded<Config>, tensors: RunTensors): string | TopLevelSpec {
  if ("why" in config) return `<p>The true parameters are not known: ${e(config.why)}.</p>`;
  if (!tensors.final) return "<p>final.safetensors is absent, so there are no learned parameters to compare.</p>";
  if (layerCount(tensors.final) !== 1) return `<p>The model has hidden layers (${config.value.model.hidden.join(", ")} units), so its parameters do not correspond to the true weights and bias.</p>`;
  const weight = tensors.final.get("layers.0.weight")!;
  const bias = tensors.final.get("layers.0.bias");
  const { weights: trueWeights, bias: trueBias } = config.value.data.synthetic;
  if (weight.shape[0] !== trueWeights.length || weight.shape[1] !== 1) {
    return `<p>layers.0.weight has shape [${weight.shape.join(", ")}], not the [${trueWeights.length}, 1] of data.synthetic.weights.</p>`;
  }
  return learnedVsTrueChart(
    [...trueWeights.map((w, i) => ({ parameter: `weight ${i}`, true: w, learned: weight.data[i]! })), ...(bias ? [{ parameter: "bias", true: trueBias, learned: bias.data[0]! }] : [])],
  );
}

/** Each parameter's learned value as a dot, its true value as a black tick on the same row. */
export function learnedVsTrueChart(rows: readonly { parameter: string; true: number; learned: number }[]): TopLevelSpec {
  const values = rows.flatMap((r) => [
    { parameter: r.parameter, series: "true", value: short(r.true) },
    { parameter: r.parameter, series: "learned", value: short(r.learned) },
  ]);
  const order = rows.map((r) => r.parameter);
  return {
    ...BASE,
    title: "learned (final.safetensors) against true (data.synthetic)",
    data: { values },
    width: 400,
    height: { step: 28 },
    encoding: {
      y: { field: "parameter", type: "nominal", sort: order, title: null },
      x: { field: "value", type: "quantitative", title: "value", scale: { zero: true } },
    },
    layer: [
      { transform: [{ filter: "datum.series === 'true'" }], mark: { type: "tick", color: "black", thickness: 2, size: 20 } },
      { transform: [{ filter: "datum.series === 'learned'" }], mark: { type: "point", filled: true, size: 70, color: "#e45756" } },
    ],
  };
}

/** A dot per validation example (up to MAX_POINTS) at (actual, predicted), with the y = x line a perfect model would lie on. */
export function predictedVsActualChart(p: ValuePredictions): TopLevelSpec {
  const stride = Math.max(1, Math.ceil(p.count / MAX_POINTS));
  const values: { output: string; actual: number; predicted: number }[] = [];
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < p.count; i += stride) {
    for (let j = 0; j < p.width; j++) {
      const actual = p.targets[i * p.width + j]!;
      const predicted = p.predictions[i * p.width + j]!;
      if (!Number.isFinite(actual) || !Number.isFinite(predicted)) continue;
      values.push({ output: `output ${j}`, actual: short(actual), predicted: short(predicted) });
      lo = Math.min(lo, actual, predicted);
      hi = Math.max(hi, actual, predicted);
    }
  }
  const diagonal = lo <= hi ? [{ actual: short(lo), predicted: short(lo) }, { actual: short(hi), predicted: short(hi) }] : [];
  const sampled = stride > 1 ? ` (1 in ${stride} of ${p.count} examples)` : "";
  return {
    ...BASE,
    title: `predicted against actual, validation set${sampled}`,
    width: 320,
    height: 320,
    layer: [
      {
        data: { values: diagonal },
        mark: { type: "line", color: "#888", strokeDash: [4, 4] },
        encoding: { x: { field: "actual", type: "quantitative" }, y: { field: "predicted", type: "quantitative" } },
      },
      {
        data: { values },
        mark: { type: "point", filled: true, size: 16, opacity: 0.6 },
        encoding: {
          x: { field: "actual", type: "quantitative", title: "actual (target)", scale: { zero: false } },
          y: { field: "predicted", type: "quantitative", title: "predicted", scale: { zero: false } },
          ...(p.width > 1 ? { color: { field: "output", type: "nominal", title: null } } : {}),
        },
      },
    ],
  };
}
