import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { decodeSafetensors, type NamedTensor } from "@crossprop/core";

/** The tensors of a run's safetensors files by name; null for a file the run directory lacks (an older run). */
export interface RunTensors {
  /** init.safetensors: the parameters before training. */
  init: Map<string, NamedTensor> | null;
  /** final.safetensors: the parameters after training. */
  final: Map<string, NamedTensor> | null;
  /** gradients.safetensors: `start.layers.i.weight` … (first batch, initial parameters) and `end.…` (final parameters). */
  gradients: Map<string, NamedTensor> | null;
}

export function readRunTensors(dir: string): RunTensors {
  return { init: readTensors(join(dir, "init.safetensors")), final: readTensors(join(dir, "final.safetensors")), gradients: readTensors(join(dir, "gradients.safetensors")) };
}

/** A safetensors file's tensors; a file that is not safetensors is core's UserError naming it (exit 2). */
function readTensors(file: string): Map<string, NamedTensor> | null {
  if (!existsSync(file)) return null;
  return new Map(decodeSafetensors(readFileSync(file), file).tensors.map((t) => [t.name, t]));
}

/** The number of dense layers: layers.0.weight, layers.1.weight, … as long as they go on. */
export function layerCount(params: Map<string, NamedTensor>): number {
  let layers = 0;
  while (params.has(`layers.${layers}.weight`)) layers++;
  return layers;
}
