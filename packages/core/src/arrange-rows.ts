import type { Examples } from "./examples.ts";

/**
 * `examples` reordered so that row j holds example order[j], moved within its own storage: no
 * second copy of the inputs is made (a cycle at a time, through one row of scratch). Labels and
 * targets are reordered alike. The storage must belong to `examples` alone — every other view of
 * it would now read other rows — so only a freshly read dataset is arranged (datasets.ts). A
 * split laid out this way makes every batch of an unshuffled epoch one contiguous slice.
 */
export function arrangeRows(examples: Examples, order: Uint32Array): Examples {
  const { count, features, inputs } = examples;
  if (examples.rows) throw new Error("arrangeRows needs examples that own their storage (no row index)");
  if (order.length !== count || inputs.length !== count * features) throw new Error(`arrangeRows: ${order.length} rows ordered for ${count} examples of ${features} features`);
  const placed = new Uint8Array(count);
  const row = new (inputs.constructor as Uint8ArrayConstructor)(features) as Uint8Array | Float32Array;
  for (let start = 0; start < count; start++) {
    if (placed[start]) continue;
    // Follow the cycle start ← order[start] ← order[order[start]] … back to start.
    row.set(inputs.subarray(start * features, (start + 1) * features));
    let to = start;
    for (let from = order[to]!; from !== start; to = from, from = order[to]!) {
      if (from >= count || placed[from]) throw new Error("arrangeRows: order is not a permutation");
      inputs.copyWithin(to * features, from * features, (from + 1) * features);
      placed[to] = 1;
    }
    inputs.set(row, to * features);
    placed[to] = 1;
  }
  const labels = examples.labels ? Int32Array.from(order, (i) => examples.labels![i]!) : null;
  let targets: Float32Array | null = null;
  if (examples.targets) {
    const width = examples.targetWidth;
    targets = new Float32Array(count * width);
    order.forEach((i, j) => targets!.set(examples.targets!.subarray(i * width, (i + 1) * width), j * width));
  }
  return { ...examples, labels, targets };
}

/** Examples [first, end) of examples that own their storage, as views (nothing copied). */
export function sliceExamples(examples: Examples, first: number, end: number): Examples {
  if (examples.rows) throw new Error("sliceExamples needs examples that own their storage (no row index)");
  const { features, targetWidth } = examples;
  return {
    ...examples,
    count: end - first,
    inputs: examples.inputs.subarray(first * features, end * features),
    labels: examples.labels ? examples.labels.subarray(first, end) : null,
    targets: examples.targets ? examples.targets.subarray(first * targetWidth, end * targetWidth) : null,
  };
}
