import { describe, expect, it } from "vitest";
import { arrangeRows, sliceExamples } from "./arrange-rows.ts";
import { inputsOf, type Examples } from "./examples.ts";
import { Rng } from "./rng.ts";

/** `count` examples whose row i is filled with i's bytes, labelled i % 7, target [i, -i]. */
function numbered(count: number, features: number): Examples {
  const inputs = new Uint8Array(count * features);
  for (let i = 0; i < count; i++) for (let f = 0; f < features; f++) inputs[i * features + f] = (i * 31 + f) & 0xff;
  const targets = new Float32Array(2 * count);
  for (let i = 0; i < count; i++) targets.set([i, -i], 2 * i);
  return { count, features, inputs, inputDivisor: 255, labels: Int32Array.from({ length: count }, (_, i) => i % 7), targets, targetWidth: 2 };
}

describe("arrangeRows", () => {
  it("puts example order[j] at row j, with its label and target, in the same storage", () => {
    for (const count of [1, 2, 7, 100]) {
      const before = numbered(count, 5);
      const original = numbered(count, 5);
      const order = new Rng(count, "test").permutation(count);
      const after = arrangeRows(before, order);
      expect(after.inputs).toBe(before.inputs);
      expect(after.rows).toBeUndefined();
      for (let j = 0; j < count; j++) {
        expect(Array.from(inputsOf(after, j))).toEqual(Array.from(inputsOf(original, order[j]!)));
        expect(after.labels![j]).toBe(original.labels![order[j]!]);
        expect(Array.from(after.targets!.subarray(2 * j, 2 * j + 2))).toEqual([order[j]!, -order[j]!]);
      }
    }
  });

  it("leaves the identity order as it was, and refuses an order that is not a permutation", () => {
    const examples = numbered(10, 3);
    const copy = Uint8Array.from(examples.inputs);
    arrangeRows(examples, Uint32Array.from({ length: 10 }, (_, i) => i));
    expect(Buffer.from(examples.inputs).equals(Buffer.from(copy))).toBe(true);
    expect(() => arrangeRows(numbered(4, 3), Uint32Array.of(1, 0, 1, 3))).toThrow(/not a permutation/);
    expect(() => arrangeRows({ ...numbered(4, 3), rows: Uint32Array.of(0, 1, 2, 3) }, Uint32Array.of(0, 1, 2, 3))).toThrow(/own their storage/);
  });
});

describe("sliceExamples", () => {
  it("views rows [first, end) without copying", () => {
    const examples = numbered(10, 4);
    const slice = sliceExamples(examples, 3, 8);
    expect(slice.count).toBe(5);
    expect(slice.inputs.buffer).toBe(examples.inputs.buffer);
    expect(Array.from(inputsOf(slice, 0))).toEqual(Array.from(inputsOf(examples, 3)));
    expect(Array.from(slice.labels!)).toEqual([3, 4, 5, 6, 0]);
    expect(Array.from(slice.targets!.subarray(0, 2))).toEqual([3, -3]);
  });
});
