import { describe, expect, it } from "vitest";
import { loadDataset, type DatasetSource } from "./datasets.ts";
import { datasetDigest } from "./digest.ts";
import { inputsOf } from "./examples.ts";
import { makeSplit, type SplitOptions } from "./split.ts";

const mnist: DatasetSource = { dataset: "mnist", path: null, synthetic: { weights: [], bias: 0, noiseStd: 0, trainSamples: 0, validSamples: 0 } };
const options: SplitOptions = { split: "pooled", validFraction: 0.15, seed: 42, classes: null, trainSize: null, testSize: null };

describe("loadDataset", () => {
  it("pooled: the split's examples laid out in split order, byte for byte those of the split by row index", () => {
    const indexed = makeSplit("mnist", loadDataset(mnist, 42).train, loadDataset(mnist, 42).test, 10, options);
    const raw = loadDataset(mnist, 42, { validFraction: 0.15 });
    expect(raw.pooled).toBe(true);
    const laidOut = makeSplit("mnist", raw.train, raw.test, raw.classes, { ...options, split: "standard" });
    // Contiguous: no row index, training examples back to back, then nothing else in the view.
    expect(laidOut.train.rows).toBeUndefined();
    expect(laidOut.train.inputs.length).toBe(59500 * 784);
    expect(datasetDigest(laidOut)).toBe(datasetDigest(indexed));
    for (const i of [0, 1, 29_999, 59_499]) expect(Buffer.from(inputsOf(laidOut.train, i)).equals(Buffer.from(inputsOf(indexed.train, i)))).toBe(true);
    expect(Buffer.from(laidOut.valid.labels!.buffer, laidOut.valid.labels!.byteOffset, laidOut.valid.labels!.byteLength)
      .equals(Buffer.from(indexed.valid.labels!.buffer, indexed.valid.labels!.byteOffset, indexed.valid.labels!.byteLength))).toBe(true);
  });

  it("pooled: reads the files afresh, so the file-order examples others hold never move", () => {
    const fileOrder = loadDataset(mnist, 0);
    const firstBefore = Buffer.from(inputsOf(fileOrder.train, 0));
    const pooled = loadDataset(mnist, 7, { validFraction: 0.15 });
    expect(pooled.train.inputs.buffer).not.toBe(fileOrder.train.inputs.buffer);
    expect(Buffer.from(inputsOf(fileOrder.train, 0)).equals(firstBefore)).toBe(true);
    // The same seed and fraction again: the same arrangement, not another copy.
    expect(loadDataset(mnist, 7, { validFraction: 0.15 }).train.inputs).toBe(pooled.train.inputs);
  });

  it("with a storage: reads the pixels into the bytes it returns, the same examples, and caches nothing", () => {
    const lengths: number[] = [];
    const buffers: ArrayBuffer[] = [];
    const storage = (length: number) => {
      lengths.push(length);
      const bytes = new Uint8Array(new ArrayBuffer(length + 64), 32, length);
      buffers.push(bytes.buffer as ArrayBuffer);
      return bytes;
    };
    for (const pooled of [null, { validFraction: 0.15 }]) {
      const own = loadDataset(mnist, 7, pooled);
      const stored = loadDataset(mnist, 7, pooled, storage);
      // Train and test images back to back in one storage, pooled (or not) in place.
      expect(lengths.at(-1)).toBe(70_000 * 784);
      // (identity compared as booleans: a failing toBe would print 55 MB)
      expect(stored.train.inputs.buffer === buffers.at(-1) && stored.test.inputs.buffer === buffers.at(-1)).toBe(true);
      expect(stored.pooled).toBe(own.pooled);
      const split = (raw: typeof own) => makeSplit("mnist", raw.train, raw.test, raw.classes, { ...options, split: raw.pooled ? "standard" : "pooled", seed: 7 });
      expect(datasetDigest(split(stored))).toBe(datasetDigest(split(own)));
      expect(loadDataset(mnist, 7, pooled, storage).train.inputs === stored.train.inputs).toBe(false);
    }
    expect(lengths).toHaveLength(4);
  });

  it("with a storage: refuses storage of the wrong size", () => {
    expect(() => loadDataset(mnist, 0, null, (length) => new Uint8Array(length - 1))).toThrow(/byte storage returned 54879999 bytes for 54880000/);
  });
});
