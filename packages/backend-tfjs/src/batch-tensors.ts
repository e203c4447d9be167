import * as tf from "@tensorflow/tfjs";
import { UserError, type Batch, type LossSpec } from "@crossprop/core";

/** A batch's inputs and what its loss compares them with, as tensors the caller disposes. */
export interface BatchTensors {
  inputs: tf.Tensor2D;
  targets: BatchTargets;
}

/** Exactly one of these is set, the one the loss reads. */
export interface BatchTargets {
  /** [size, classes] float one-hot rows of the labels, for cross_entropy. */
  oneHot: tf.Tensor2D | null;
  /** [size, outputs] dense targets, for mse. */
  dense: tf.Tensor2D | null;
  /** [size, 1] the 0/1 labels as floats, for sigmoid_distance and bce. */
  binary: tf.Tensor2D | null;
}

/**
 * Tensors built straight from the batch's typed arrays (never a slice of a big tensor: on wasm
 * `tf.slice` of the 60000×784 set costs ~70 ms a call). The arrays are copied: the batch maker reuses them.
 */
export function batchTensors(batch: Batch, features: number, outputs: number, loss: LossSpec): BatchTensors {
  // Everything that can throw runs before the first tensor exists, so a bad batch leaks nothing.
  const inputs = copyFloat32(batch.inputs, batch.size * features);
  const values = targetValues(batch, outputs, loss);
  const binary = loss.type === "sigmoid_distance" || loss.type === "bce";
  const targets = tf.tensor2d(values, [batch.size, binary ? 1 : outputs]);
  return {
    inputs: tf.tensor2d(inputs, [batch.size, features]),
    targets: {
      oneHot: loss.type === "cross_entropy" ? targets : null,
      dense: loss.type === "mse" ? targets : null,
      binary: binary ? targets : null,
    },
  };
}

function targetValues(batch: Batch, outputs: number, loss: LossSpec): Float32Array {
  switch (loss.type) {
    case "cross_entropy":
      return oneHotRows(batch, outputs);
    case "sigmoid_distance":
    case "bce":
      return binaryLabels(batch, loss.type);
    case "mse":
      if (batch.targets === null) throw new UserError(`loss ${loss.type} needs dense targets, but the batch has none`);
      return copyFloat32(batch.targets, batch.size * outputs);
  }
}

/** [size, classes] rows with a 1 at each row's label. */
function oneHotRows(batch: Batch, classes: number): Float32Array {
  const labels = batch.labels;
  if (labels === null) throw new UserError("loss cross_entropy needs class labels, but the batch has none");
  const oneHot = new Float32Array(batch.size * classes);
  for (let row = 0; row < batch.size; row++) {
    const label = labels[row]!;
    if (!(label >= 0 && label < classes)) throw new UserError(`label ${label} at batch row ${row} is outside 0..${classes - 1}`);
    oneHot[row * classes + label] = 1;
  }
  return oneHot;
}

/** One 0/1 float per row, from the batch's labels. */
function binaryLabels(batch: Batch, loss: string): Float32Array {
  const labels = batch.labels;
  if (labels === null) throw new UserError(`loss ${loss} needs 0/1 labels, but the batch has none`);
  const values = new Float32Array(batch.size);
  for (let row = 0; row < batch.size; row++) {
    const label = labels[row]!;
    if (label !== 0 && label !== 1) throw new UserError(`label ${label} at batch row ${row} is not 0 or 1 (loss ${loss})`);
    values[row] = label;
  }
  return values;
}

export function disposeBatch(tensors: BatchTensors): void {
  tensors.inputs.dispose();
  tensors.targets.oneHot?.dispose();
  tensors.targets.dense?.dispose();
  tensors.targets.binary?.dispose();
}

/** A Float32Array copy of the first `length` values (tfjs's cpu engine would otherwise keep the caller's array). */
export function copyFloat32(values: ArrayLike<number>, length: number): Float32Array {
  if (values.length < length) throw new UserError(`expected at least ${length} values, got ${values.length}`);
  const copy = new Float32Array(length);
  if (values instanceof Float32Array || values instanceof Float64Array) copy.set(values.subarray(0, length));
  else for (let i = 0; i < length; i++) copy[i] = values[i]!;
  return copy;
}
