import { inputsOf, type Examples } from "@crossprop/core";
import type { Experiment } from "@crossprop/config";
import { mostConfidentWrong } from "./confusion.ts";
import { escapeHtml as e } from "./escape.ts";
import { pngDataUri } from "./png.ts";
import type { ClassPredictions } from "./predictions.ts";
import type { Loaded } from "./run-data.ts";

export const WORST_DIGITS = 16;
/** Shown 3× (84 px for 28×28) with `image-rendering: pixelated`, so each pixel stays a crisp square. */
const SCALE = 3;

/** The k most confidently wrong validation digits, each with its true class, prediction and probability. */
/** `data` is called only when there is a wrong digit to show: rebuilding the data set costs ~0.1 s. */
export function digitGalleryHtml(p: ClassPredictions, classNames: readonly string[], data: () => Loaded<Experiment>): string {
  const worst = mostConfidentWrong(p, WORST_DIGITS);
  if (worst.length === 0) return "<p>No validation example was misclassified, so there are no wrong digits to show.</p>";
  const images = validationImages(p, data());
  if ("why" in images) return `<p>The misclassified digits cannot be shown: ${e(images.why)}.</p>`;
  const { valid, side } = images.value;
  const figures = worst.map((i) => {
    const pixels = Uint8Array.from(inputsOf(valid, i));
    const label = classNames[p.labels[i]!];
    const predicted = classNames[p.predicted[i]!];
    return `<figure class="digit"><img src="${pngDataUri({ width: side, height: side, pixels })}" width="${side * SCALE}" height="${side * SCALE}" alt="validation example ${i}: a ${e(label)} predicted as ${e(predicted)}"><figcaption>true ${e(label)} → ${e(predicted)}<br>p ${probability(p.probability[i]!)} · #${i}</figcaption></figure>`;
  });
  return `<div class="gallery" id="confident-wrong">${figures.join("")}</div>`;
}

/** The validation inputs as square 8-bit images, when they are images and are the run's. */
function validationImages(p: ClassPredictions, data: Loaded<Experiment>): Loaded<{ valid: Examples; side: number }> {
  if ("why" in data) return data;
  const { valid } = data.value.dataset;
  const side = Math.round(Math.sqrt(valid.features));
  if (side * side !== valid.features || !(valid.inputs instanceof Uint8Array)) return { why: `the ${valid.features} inputs per example are not a square image` };
  if (valid.count !== p.count) return { why: `the validation set has ${valid.count} examples but predictions.csv ${p.count}` };
  for (let i = 0; i < p.count; i++) {
    if (valid.labels![i] !== p.labels[i]) return { why: `validation example ${i} is a ${valid.labels![i]} but predictions.csv says ${p.labels[i]}` };
  }
  return { value: { valid, side } };
}

/** A probability near 1 as 1 − ε, so 0.99999 and 0.999999 do not both read 1.000. */
export function probability(p: number): string {
  return p < 0.999 || !Number.isFinite(p) || p >= 1 ? p.toFixed(3) : `1 − ${(1 - p).toExponential(1)}`;
}
