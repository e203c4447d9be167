import * as tf from "@tensorflow/tfjs";
import type { FloatArray, OptimizerSpec, StateShape } from "@crossprop/core";

/**
 * tf.train optimizers' state, read and written through their fields: getWeights/setWeights would
 * not do, since Adam's setWeights recomputes β1ᵗ, β2ᵗ as pow(β, t + 1) where applyGradients keeps
 * float32 running products — a resumed run would take different steps. The fields are private in
 * tfjs's types, so they are named here (tfjs-core 4.x: momentum_optimizer.ts, adam_optimizer.ts).
 */
interface Slot {
  originalName: string;
  variable: tf.Variable;
}
interface OptimizerFields {
  iterations_?: number;
  /** Momentum's velocities, one per variable, created on the first step. */
  accumulations?: Slot[];
  /** Adam's moments, created on the first step, and β1ᵗ, β2ᵗ as float32 running products. */
  accumulatedFirstMoment?: Slot[];
  accumulatedSecondMoment?: Slot[];
  accBeta1?: tf.Variable;
  accBeta2?: tf.Variable;
}

/** Adam's running products β1ᵗ, β2ᵗ: tfjs's own state beyond core's names. */
export const TFJS_ADAM_EXTRA: StateShape[] = [
  { name: "tfjs.beta1_power", shape: [1], dtype: "float32" },
  { name: "tfjs.beta2_power", shape: [1], dtype: "float32" },
];

/** The entries after core's optimizerStateShapes that tfjs's `type` also needs. */
export function extraStateShapes(type: OptimizerSpec["type"]): StateShape[] {
  return type === "adam" || type === "adamw" ? TFJS_ADAM_EXTRA : [];
}

/** The state of `optimizer` for `variables`, in core's order then the extras; zeros before the first step. */
export function readState(type: OptimizerSpec["type"], optimizer: tf.Optimizer, variables: readonly tf.Variable[]): FloatArray[] {
  const fields = optimizer as unknown as OptimizerFields;
  const values = (slots: Slot[] | undefined) => variables.map((variable, i) => (slots?.[i] ? new Float32Array(slots[i]!.variable.dataSync()) : new Float32Array(variable.size)));
  switch (type) {
    case "sgd":
      return [];
    case "momentum":
      return values(fields.accumulations);
    case "adam":
    case "adamw":
      return [
        ...values(fields.accumulatedFirstMoment),
        ...values(fields.accumulatedSecondMoment),
        Float64Array.of(fields.iterations_ ?? 0),
        new Float32Array(fields.accBeta1!.dataSync()),
        new Float32Array(fields.accBeta2!.dataSync()),
      ];
  }
}

/** Replaces `optimizer`'s state with `arrays` (in readState's order, already checked). */
export function writeState(type: OptimizerSpec["type"], optimizer: tf.Optimizer, variables: readonly tf.Variable[], arrays: readonly FloatArray[]): void {
  const fields = optimizer as unknown as OptimizerFields;
  const slots = (old: Slot[] | undefined, suffix: string, first: number): Slot[] => {
    if (old) tf.dispose(old.map((slot) => slot.variable));
    return variables.map((variable, i) => ({ originalName: `${variable.name}/${suffix}`, variable: tf.variable(tf.tensor(Float32Array.from(arrays[first + i]!), variable.shape, "float32"), false) }));
  };
  const count = variables.length;
  tf.tidy(() => {
    switch (type) {
      case "sgd":
        return;
      case "momentum":
        fields.accumulations = slots(fields.accumulations, "momentum", 0);
        return;
      case "adam":
      case "adamw":
        fields.accumulatedFirstMoment = slots(fields.accumulatedFirstMoment, "m", 0);
        fields.accumulatedSecondMoment = slots(fields.accumulatedSecondMoment, "v", count);
        fields.iterations_ = arrays[2 * count]![0]!;
        fields.accBeta1!.assign(tf.scalar(arrays[2 * count + 1]![0]!, "float32"));
        fields.accBeta2!.assign(tf.scalar(arrays[2 * count + 2]![0]!, "float32"));
    }
  });
}
