import { createHash } from "node:crypto";
import type { Dataset, Examples } from "./examples.ts";

/** sha256 of the exact bytes a run trains and evaluates on (train then valid: inputs, labels, targets). */
export function datasetDigest(dataset: Dataset): string {
  const hash = createHash("sha256");
  const add = (examples: Examples) => {
    for (const array of [examples.inputs, examples.labels, examples.targets]) {
      if (array) hash.update(new Uint8Array(array.buffer, array.byteOffset, array.byteLength));
    }
  };
  add(dataset.train);
  add(dataset.valid);
  return hash.digest("hex");
}
