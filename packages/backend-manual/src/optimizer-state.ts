import { optimizerStateArrays, stateEntry, type ParamList, type StateShape } from "@crossprop/core";
import type { Optimizer } from "./optimizer.ts";

/** Copies of `optimizer`'s state (none for a model whose SGD runs on kernels), named as core's `shapes`. */
export function exportOptimizerState(shapes: readonly StateShape[], optimizer: Optimizer | null): ParamList {
  const arrays = optimizer?.state() ?? [];
  return shapes.map(({ name, shape }, i) => stateEntry(name, shape, arrays[i]!));
}

/** Checks `state` against core's `shapes` (a mismatch is refused whole), then restores it. */
export function importOptimizerState(shapes: readonly StateShape[], optimizer: Optimizer | null, state: ParamList): void {
  const arrays = optimizerStateArrays(shapes, state);
  optimizer?.restore(shapes.map(({ name }) => arrays.get(name)!));
}
