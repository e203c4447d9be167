/**
 * A set of examples held compactly: pixels stay bytes until a batch is made, and a subset (a split,
 * a class filter, the first N) shares its parent's inputs through `rows` instead of copying them.
 */
export interface Examples {
  count: number;
  features: number;
  /** Row-major storage of the inputs, `features` per row; divided by `inputDivisor` when a batch is made (pixels: 255). */
  inputs: Uint8Array | Float32Array;
  /** Example i is row rows[i] of `inputs`; absent: row i. Labels and targets are per example, in order. */
  rows?: Uint32Array;
  inputDivisor: number;
  /** [count] class indices, for classification. */
  labels: Int32Array | null;
  /** [count, targetWidth] real-valued targets, for regression. */
  targets: Float32Array | null;
  targetWidth: number;
}

/** The data of one run: what the model trains on and what it is evaluated on. */
export interface Dataset {
  /** e.g. "mnist" */
  name: string;
  features: number;
  /** Number of classes (after any class filter); 0 for regression. */
  classes: number;
  /** Names of the classes in label order, e.g. ["3", "7"]. */
  classNames: string[];
  train: Examples;
  valid: Examples;
}

/** The storage row of example `i`. */
export function inputRow(examples: Examples, i: number): number {
  return examples.rows ? examples.rows[i]! : i;
}

/** The inputs of example `i`, a view into the storage. */
export function inputsOf(examples: Examples, i: number): Uint8Array | Float32Array {
  const row = inputRow(examples, i);
  return examples.inputs.subarray(row * examples.features, (row + 1) * examples.features);
}

/** Examples `picks` of `examples`, in that order: the inputs are shared (by row index), labels and targets copied. */
export function selectRows(examples: Examples, picks: ArrayLike<number>): Examples {
  const { targetWidth } = examples;
  const rows = new Uint32Array(picks.length);
  const labels = examples.labels ? new Int32Array(picks.length) : null;
  const targets = examples.targets ? new Float32Array(picks.length * targetWidth) : null;
  for (let i = 0; i < picks.length; i++) {
    const pick = picks[i]!;
    rows[i] = inputRow(examples, pick);
    if (labels) labels[i] = examples.labels![pick]!;
    if (targets) targets.set(examples.targets!.subarray(pick * targetWidth, (pick + 1) * targetWidth), i * targetWidth);
  }
  return { ...examples, count: picks.length, rows, labels, targets };
}

/**
 * Two example sets with the same layout, one after the other. Inputs stored back to back in one
 * buffer (how the IDX loader reads a train and a test file) are joined without a copy.
 */
export function concatExamples(a: Examples, b: Examples): Examples {
  const adjacent =
    !a.rows && !b.rows && a.inputs.buffer === b.inputs.buffer && a.inputs.constructor === b.inputs.constructor &&
    a.inputs.byteOffset + a.inputs.byteLength === b.inputs.byteOffset && a.inputs.length === a.count * a.features;
  const inputs = adjacent
    ? (new (a.inputs.constructor as Uint8ArrayConstructor)(a.inputs.buffer, a.inputs.byteOffset, a.inputs.length + b.inputs.length) as Uint8Array | Float32Array)
    : concat(dense(a), dense(b));
  const { rows: _rows, ...layout } = a;
  return {
    ...layout,
    count: a.count + b.count,
    inputs,
    labels: a.labels && b.labels ? concatInt(a.labels, b.labels) : null,
    targets: a.targets && b.targets ? (concat(a.targets, b.targets) as Float32Array) : null,
  };
}

/** The inputs of `examples` as one contiguous array in example order (a copy when they are indexed). */
function dense(examples: Examples): Uint8Array | Float32Array {
  if (!examples.rows) return examples.inputs.subarray(0, examples.count * examples.features);
  const out = new (examples.inputs.constructor as Uint8ArrayConstructor)(examples.count * examples.features) as Uint8Array | Float32Array;
  for (let i = 0; i < examples.count; i++) out.set(inputsOf(examples, i), i * examples.features);
  return out;
}

function concat<T extends Uint8Array | Float32Array>(a: T, b: T): T {
  const out = new (a.constructor as new (n: number) => T)(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

function concatInt(a: Int32Array, b: Int32Array): Int32Array {
  const out = new Int32Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
