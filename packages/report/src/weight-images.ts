import type { NamedTensor } from "@crossprop/core";
import { escapeHtml as e } from "./escape.ts";
import { pngDataUri } from "./png.ts";
import type { RunTensors } from "./run-tensors.ts";

/** The first layer's weights drawn as images, one per unit: for the linear model, the digit templates. */

export const MAX_UNITS = 64;
const SCALE = 2;
/** Odd, so weight 0 has its own entry: white. */
const LEVELS = 65;
const MID = (LEVELS - 1) / 2;
const RED = [178, 24, 43] as const;
// RED with red and blue swapped: the map is symmetric around 0 by construction (colour(−w) = colour(w) with r and b exchanged).
const BLUE = [RED[2], RED[1], RED[0]] as const;

/** The diverging palette: BLUE at index 0 (−max), white at MID (0), RED at LEVELS−1 (+max). */
export const DIVERGING_PALETTE: readonly (readonly [number, number, number])[] = Array.from({ length: LEVELS }, (_, i) => {
  const t = (i - MID) / MID;
  const end = t < 0 ? BLUE : RED;
  const a = Math.abs(t);
  return [0, 1, 2].map((c) => Math.round(255 + (end[c]! - 255) * a)) as unknown as readonly [number, number, number];
});

/** The palette index of weight `w` on a scale where ±`max` are the ends (|w| beyond is clipped). */
export function divergingIndex(w: number, max: number): number {
  if (!Number.isFinite(w)) return Number.isNaN(w) ? MID : w > 0 ? LEVELS - 1 : 0;
  return MID + Math.round(Math.max(-1, Math.min(1, w / max)) * MID);
}

/**
 * The pixels of unit `unit` of a [inputs, outputs] weight matrix (safetensors layout: column `unit`),
 * as palette indices on ±max.
 */
export function unitPixels(weight: NamedTensor, unit: number, max: number): Uint8Array {
  const [inputs, outputs] = weight.shape as [number, number];
  const pixels = new Uint8Array(inputs);
  for (let i = 0; i < inputs; i++) pixels[i] = divergingIndex(weight.data[i * outputs + unit]!, max);
  return pixels;
}

/** The largest finite |w| among the first `units` columns (1 when all are 0, so the scale stays defined). */
export function symmetricMax(weight: NamedTensor, units: number): number {
  const outputs = weight.shape[1]!;
  let max = 0;
  for (let i = 0; i < weight.data.length; i++) {
    const w = Math.abs(weight.data[i]!);
    if (i % outputs < units && Number.isFinite(w) && w > max) max = w;
  }
  return max > 0 ? max : 1;
}

export function weightImagesHtml(tensors: RunTensors): string {
  const start = tensors.init?.get("layers.0.weight");
  const end = tensors.final?.get("layers.0.weight");
  if (!start && !end) return "<p>init.safetensors and final.safetensors are absent, so there are no weights to draw.</p>";
  const [inputs, outputs] = (end ?? start)!.shape as [number, number];
  const side = Math.round(Math.sqrt(inputs));
  if (side * side !== inputs) return `<p>The first layer takes ${inputs} inputs, not a square image, so its units are not drawn as images.</p>`;
  const units = Math.min(outputs, MAX_UNITS);
  const phases = [
    { name: "start", file: "init.safetensors", weight: start },
    { name: "end", file: "final.safetensors", weight: end },
  ].map((phase) => ({ ...phase, max: phase.weight ? symmetricMax(phase.weight, units) : 1 }));
  const cells = Array.from({ length: units }, (_, unit) => {
    const images = phases.map(({ name, weight, max }) =>
      weight
        ? `<img src="${pngDataUri({ width: side, height: side, pixels: unitPixels(weight, unit, max), palette: DIVERGING_PALETTE })}" width="${side * SCALE}" height="${side * SCALE}" alt="first layer, unit ${unit}, weights at the ${name}">`
        : "",
    );
    return `<figure class="unit">${images.join("")}<figcaption>${unit}</figcaption></figure>`;
  });
  const scale = phases.filter((p) => p.weight).map((p) => `±${e(p.max.toPrecision(3))} at the ${p.name} (${p.file})`);
  const missing = phases.filter((p) => !p.weight).map((p) => `${p.file} is absent, so the ${p.name} is not shown. `).join("");
  const shown = units < outputs ? `the first ${units} of its ${outputs} units` : outputs === 1 ? "its one unit" : `all ${outputs} units`;
  return `<p>Each unit's ${inputs} input weights as a ${side}×${side} image (${shown}), at the start above the end. Blue is negative, white 0, red positive, on a scale symmetric around 0 whose ends are the largest |weight| shown: ${scale.join(", ")}. ${missing}</p>
<div class="gallery" id="first-layer-weights">${cells.join("")}</div>`;
}
