/** A set of examples held compactly: pixels stay bytes until a batch is made. */
export interface Examples {
  count: number;
  features: number;
  /** [count, features] row-major; divided by `inputDivisor` when a batch is made (pixels: 255). */
  inputs: Uint8Array | Float32Array;
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

/** Rows `rows` of `examples`, copied into a new contiguous Examples, in that order. */
export function selectRows(examples: Examples, rows: ArrayLike<number>): Examples {
  const { features, targetWidth } = examples;
  const inputs = examples.inputs instanceof Uint8Array ? new Uint8Array(rows.length * features) : new Float32Array(rows.length * features);
  const labels = examples.labels ? new Int32Array(rows.length) : null;
  const targets = examples.targets ? new Float32Array(rows.length * targetWidth) : null;
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    inputs.set(examples.inputs.subarray(row * features, (row + 1) * features), i * features);
    if (labels) labels[i] = examples.labels![row]!;
    if (targets) targets.set(examples.targets!.subarray(row * targetWidth, (row + 1) * targetWidth), i * targetWidth);
  }
  return { ...examples, count: rows.length, inputs, labels, targets };
}

/** Two example sets with the same layout, one after the other. */
export function concatExamples(a: Examples, b: Examples): Examples {
  return {
    ...a,
    count: a.count + b.count,
    inputs: concat(a.inputs, b.inputs),
    labels: a.labels && b.labels ? concatInt(a.labels, b.labels) : null,
    targets: a.targets && b.targets ? (concat(a.targets, b.targets) as Float32Array) : null,
  };
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
