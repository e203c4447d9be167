import { UserError } from "./errors.ts";
import { paramShapes, type FloatArray, type ModelSpec, type NamedTensor, type OptimizerSpec, type ParamList } from "./model-spec.ts";

/** One entry of an optimizer's state: a name, a shape, and the array type it is held in. */
export interface StateShape {
  name: string;
  shape: number[];
  /** Moments are in the model's dtype; the step count is float64 (exact to 2⁵³ steps). */
  dtype: "float32" | "float64";
}

/** The step count t of Adam's bias corrections, one float64 value. */
export const OPTIMIZER_STEP = "step";

/**
 * The state every backend exports for `optimizer`, in order (the update rules: OptimizerSpec):
 * sgd none; momentum `velocity.<param>`; adam and adamw `first_moment.<param>`,
 * `second_moment.<param>`, then `step`. A backend may append entries of its own after these.
 */
export function optimizerStateShapes(spec: ModelSpec, optimizer: OptimizerSpec): StateShape[] {
  const params = paramShapes(spec);
  const per = (prefix: string) => params.map(({ name, shape }) => ({ name: `${prefix}.${name}`, shape, dtype: spec.dtype }));
  switch (optimizer.type) {
    case "sgd":
      return [];
    case "momentum":
      return per("velocity");
    case "adam":
    case "adamw":
      return [...per("first_moment"), ...per("second_moment"), { name: OPTIMIZER_STEP, shape: [1], dtype: "float64" }];
  }
}

/**
 * The arrays of `state`, by name, after checking it holds exactly `shapes` (core's, then the
 * backend's own `extra`) — names, order, shapes, lengths and array types — so a checkpoint written
 * for another model or optimizer is refused, never half-applied.
 */
export function optimizerStateArrays(shapes: readonly StateShape[], state: ParamList): Map<string, FloatArray> {
  const describe = (entries: readonly { name: string; shape: number[] }[]) => entries.map((e) => `${e.name} [${e.shape.join(", ")}]`).join(", ") || "nothing";
  const fits = (want: StateShape, got: NamedTensor | undefined) =>
    got !== undefined &&
    got.name === want.name &&
    got.shape.join(",") === want.shape.join(",") &&
    got.data.length === want.shape.reduce((a, b) => a * b, 1) &&
    got.data instanceof (want.dtype === "float64" ? Float64Array : Float32Array);
  if (state.length !== shapes.length || !shapes.every((want, i) => fits(want, state[i]))) {
    throw new UserError(`the optimizer state should hold ${describe(shapes)}; got ${describe(state)}`);
  }
  return new Map(state.map((entry) => [entry.name, entry.data]));
}

/** A copy of `data` as a state entry. */
export function stateEntry(name: string, shape: number[], data: FloatArray): NamedTensor {
  return { name, shape: [...shape], data: data.slice() };
}
