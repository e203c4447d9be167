import { describe, expect, it } from "vitest";
import { BatchMaker, epochBatches, epochOrder, stepsPerEpoch } from "./batches.ts";
import type { Examples } from "./examples.ts";

const examples: Examples = {
  count: 5,
  features: 2,
  inputs: Uint8Array.from([0, 255, 51, 102, 1, 2, 3, 4, 5, 6]),
  inputDivisor: 255,
  labels: Int32Array.from([0, 1, 2, 1, 0]),
  targets: null,
  targetWidth: 0,
};

describe("epochOrder", () => {
  it("is file order without shuffle", () => {
    expect([...epochOrder(5, 3, false, 1)]).toEqual([0, 1, 2, 3, 4]);
  });
  it("is a seeded permutation that changes each epoch and repeats for the same seed", () => {
    const e0 = epochOrder(1000, 0, true, 9);
    expect([...e0]).toEqual([...epochOrder(1000, 0, true, 9)]);
    expect([...e0]).not.toEqual([...epochOrder(1000, 1, true, 9)]);
    expect([...e0]).not.toEqual([...epochOrder(1000, 0, true, 10)]);
    expect([...e0].sort((a, b) => a - b)).toEqual([...epochOrder(1000, 0, false, 0)]);
  });
});

describe("BatchMaker and epochBatches", () => {
  it("scales pixels as x / 255 and keeps the last partial batch", () => {
    const maker = new BatchMaker(examples, 2, "float32", { kind: "labels" });
    // Copy each batch as it comes: the next one overwrites the shared buffers.
    const batches: { size: number; inputs: number[]; labels: number[] }[] = [];
    for (const b of epochBatches(maker, epochOrder(5, 0, false, 0), 2)) {
      batches.push({ size: b.size, inputs: [...b.inputs], labels: [...b.labels!] });
    }
    expect(batches.length).toBe(stepsPerEpoch(5, 2));
    expect(batches.map((b) => b.size)).toEqual([2, 2, 1]);
    expect(batches[0]!.inputs).toEqual([0, 1, Math.fround(51 / 255), Math.fround(102 / 255)]);
    expect(batches[2]!.labels).toEqual([0]);
  });

  it("builds scaled one-hot targets in float64", () => {
    const maker = new BatchMaker(examples, 5, "float64", { kind: "onehot", classes: 3, scale: 0.9 });
    const batch = maker.make(Uint32Array.from([1, 2]));
    expect(batch.inputs).toBeInstanceOf(Float64Array);
    expect(batch.inputs[0]).toBe(51 / 255);
    expect([...batch.targets!]).toEqual([0, 0.9, 0, 0, 0, 0.9]);
  });

  it("reuses its buffers: a batch is a view, no allocation per step; a stale batch's inputs are refused", () => {
    const maker = new BatchMaker(examples, 2, "float32", { kind: "labels" });
    const first = maker.make(Uint32Array.from([0, 1]));
    const firstBuffer = first.inputs.buffer;
    const second = maker.make(Uint32Array.from([3, 4]));
    expect(second.inputs.buffer).toBe(firstBuffer);
    expect(second.pixels!.bytes.buffer).toBe(first.pixels!.bytes.buffer);
    expect(() => first.inputs).toThrow(/overwritten/);
    expect(() => maker.make(Uint32Array.from([0, 1, 2]))).toThrow(RangeError);
  });

  it("gives byte data as raw pixel rows and their scale, the same values as the dense inputs", () => {
    const maker = new BatchMaker(examples, 3, "float32", { kind: "labels" });
    const batch = maker.make(Uint32Array.from([4, 1]));
    expect([...batch.pixels!.bytes]).toEqual([5, 6, 51, 102]);
    expect([...batch.pixels!.bytes].map((b) => batch.pixels!.scale[b])).toEqual([...batch.inputs]);
    expect(batch.pixels!.scale[0]).toBe(0);
    const floats = new BatchMaker({ ...examples, inputs: Float32Array.from(examples.inputs), inputDivisor: 1 }, 2, "float32", { kind: "labels" });
    expect(floats.make(Uint32Array.from([1])).pixels).toBeUndefined();
  });

  it("gathers the same bytes whether a batch's rows are adjacent in storage or not", () => {
    // Adjacent rows are a view of the examples' bytes; rows through an index (a split's rows) are adjacent only where the index is.
    const maker = new BatchMaker(examples, 3, "float32", { kind: "labels" });
    const adjacent = maker.make(Uint32Array.from([1, 2, 3]));
    expect([...adjacent.pixels!.bytes]).toEqual([51, 102, 1, 2, 3, 4]);
    expect(adjacent.pixels!.bytes.buffer).toBe(examples.inputs.buffer);
    expect([...adjacent.inputs]).toEqual([51, 102, 1, 2, 3, 4].map((b) => Math.fround(b / 255)));
    const gathered = maker.make(Uint32Array.from([3, 1]));
    expect([...gathered.pixels!.bytes]).toEqual([3, 4, 51, 102]);
    expect(gathered.pixels!.bytes.buffer).not.toBe(examples.inputs.buffer);
    expect([...gathered.inputs]).toEqual([3, 4, 51, 102].map((b) => Math.fround(b / 255)));
    const indexed = new BatchMaker({ ...examples, count: 3, rows: Uint32Array.from([2, 3, 0]) }, 3, "float32", { kind: "labels" });
    expect([...indexed.make(Uint32Array.from([0, 1])).pixels!.bytes]).toEqual([1, 2, 3, 4]);
    expect([...indexed.make(Uint32Array.from([1, 2])).pixels!.bytes]).toEqual([3, 4, 0, 255]);
    expect([...indexed.make(Uint32Array.from([1, 2])).labels!]).toEqual([1, 2]); // labels are per example
  });

  it("gathers into bytes from its storage, once, when given one (adjacent rows stay views)", () => {
    const lengths: number[] = [];
    const held = new Uint8Array(64);
    const maker = new BatchMaker(examples, 3, "float32", { kind: "labels" }, (length) => (lengths.push(length), held.subarray(8, 8 + length)));
    expect(maker.make(Uint32Array.from([1, 2])).pixels!.bytes.buffer).toBe(examples.inputs.buffer);
    expect(lengths).toEqual([]);
    for (const rows of [[3, 1], [4, 0, 2]]) {
      const bytes = maker.make(Uint32Array.from(rows)).pixels!.bytes;
      expect(bytes.buffer).toBe(held.buffer);
      expect(bytes.byteOffset).toBe(8);
      expect([...bytes]).toEqual(rows.flatMap((r) => [...examples.inputs.subarray(2 * r, 2 * r + 2)]));
    }
    expect(lengths).toEqual([3 * 2]);
  });
});
