import type { NamedTensor } from "@crossprop/core";
import { chartFigure } from "./page.ts";
import { finiteRange, histogram, histogramChart, type HistogramSeries } from "./histograms.ts";
import { layerCount, type RunTensors } from "./run-tensors.ts";

/** Per layer: its weights at the start and the end overlaid, and the first batch's gradient of them at the start and the end. */
export async function histogramSectionHtml(tensors: RunTensors): Promise<string> {
  const params = tensors.final ?? tensors.init;
  if (!params) return "<p>init.safetensors and final.safetensors are absent, so there are no weights to count.</p>";
  const notes: string[] = [];
  if (!tensors.init || !tensors.final) notes.push(`${tensors.init ? "final" : "init"}.safetensors is absent, so only the ${tensors.init ? "start" : "end"} is shown.`);
  if (!tensors.gradients) notes.push("gradients.safetensors is absent (a run from before gradients were saved), so no gradient histograms are shown.");
  // One row per layer: its weights, then its gradients beside them.
  const rows: string[] = [];
  for (let layer = 0; layer < layerCount(params); layer++) {
    const figures: string[] = [];
    const name = `layers.${layer}.weight`;
    const weights = present([
      ["start", tensors.init?.get(name)],
      ["end", tensors.final?.get(name)],
    ]);
    const weightBins = shared(weights);
    figures.push(await chartFigure(`weights-${layer}`, histogramChart(`${name}${nonFiniteNote(weightBins)}`, weightBins, true)));
    const gradients = present([
      ["start", tensors.gradients?.get(`start.${name}`)],
      ["end", tensors.gradients?.get(`end.${name}`)],
    ]);
    if (gradients.length > 0) {
      const gradientBins = apart(gradients);
      figures.push(await chartFigure(`gradients-${layer}`, histogramChart(`gradient of ${name} on the first batch${nonFiniteNote(gradientBins)}`, gradientBins, false)));
    }
    rows.push(`<div class="histogram-layer">${figures.join("")}</div>`);
  }
  const text = "Weights at the start (init.safetensors) and the end (final.safetensors) share their bins; the gradients (gradients.safetensors: the loss's gradient on step 1's batch at the initial and at the final parameters) each get their own.";
  return `<p>${text} ${notes.join(" ")}</p>\n<div class="histograms">${rows.join("\n")}</div>`;
}

type Named = [string, NamedTensor];

function present(pairs: [string, NamedTensor | undefined][]): Named[] {
  return pairs.filter((pair): pair is Named => pair[1] !== undefined);
}

/** One set of bins over every series' finite values. */
function shared(series: Named[]): HistogramSeries[] {
  const ranges = series.map(([, t]) => finiteRange(t.data));
  const finite = ranges.filter((_, i) => series[i]![1].data.some(Number.isFinite));
  const range: [number, number] = finite.length === 0 ? [0, 0] : [Math.min(...finite.map((r) => r[0])), Math.max(...finite.map((r) => r[1]))];
  return series.map(([name, t]) => ({ name, histogram: histogram(t.data, range) }));
}

function apart(series: Named[]): HistogramSeries[] {
  return series.map(([name, t]) => ({ name, histogram: histogram(t.data, finiteRange(t.data)) }));
}

function nonFiniteNote(series: HistogramSeries[]): string {
  const count = series.reduce((n, s) => n + s.histogram.nonFinite, 0);
  return count === 0 ? "" : ` (${count} non-finite values left out)`;
}
