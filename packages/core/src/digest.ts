import { createHash } from "node:crypto";
import { inputsOf, type Dataset, type Examples } from "./examples.ts";

/** sha256 of the exact bytes a run trains and evaluates on (train then valid: inputs, labels, targets). */
export function datasetDigest(dataset: Dataset): string {
  const hash = createHash("sha256");
  const bytes = (array: ArrayBufferView) => new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
  const add = (examples: Examples) => {
    // Row by row: an indexed subset hashes as the contiguous copy it stands for.
    for (let i = 0; i < examples.count; i++) hash.update(bytes(inputsOf(examples, i)));
    for (const array of [examples.labels, examples.targets]) if (array) hash.update(bytes(array));
  };
  add(dataset.train);
  add(dataset.valid);
  return hash.digest("hex");
}
