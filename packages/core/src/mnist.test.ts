import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { encodeIdx } from "./idx.ts";
import { FASHION_MNIST_DIR, loadFashionMnist, loadIdxDirectory } from "./mnist.ts";

describe("loadIdxDirectory", () => {
  it("reads MNIST-layout files, plain or gzipped", () => {
    const dir = mkdtempSync(join(tmpdir(), "crossprop-idxdir-"));
    const images = (n: number) => encodeIdx({ dtype: "uint8", dims: [n, 2, 2], data: Uint8Array.from({ length: n * 4 }, (_, i) => i % 256) });
    const labels = (n: number) => encodeIdx({ dtype: "uint8", dims: [n], data: Uint8Array.from({ length: n }, (_, i) => i % 10) });
    writeFileSync(join(dir, "train-images-idx3-ubyte.gz"), gzipSync(images(12)));
    writeFileSync(join(dir, "train-labels-idx1-ubyte"), labels(12));
    writeFileSync(join(dir, "t10k-images-idx3-ubyte"), images(3));
    writeFileSync(join(dir, "t10k-labels-idx1-ubyte.gz"), gzipSync(labels(3)));
    const { train, test } = loadIdxDirectory(dir);
    expect([train.count, train.features, test.count]).toEqual([12, 4, 3]);
    expect([...train.labels!.subarray(9, 12)]).toEqual([9, 0, 1]);
  });

  it("names a missing directory or file", () => {
    expect(() => loadIdxDirectory("/nonexistent/idx")).toThrow("IDX directory not found: /nonexistent/idx");
    const empty = mkdtempSync(join(tmpdir(), "crossprop-idxdir-"));
    expect(() => loadIdxDirectory(empty)).toThrow(`data file not found: ${join(empty, "train-images-idx3-ubyte")}`);
  });
});

describe("loadFashionMnist", () => {
  it("names the Debian package when the data is absent", () => {
    expect(() => loadFashionMnist("/nonexistent/fashion")).toThrow(/apt-get install dataset-fashion-mnist/);
  });

  // .ci/run installs dataset-fashion-mnist; on a machine without it the loader must say how to get it.
  it(`reads Debian's files from ${FASHION_MNIST_DIR}, or explains how to install them`, () => {
    if (existsSync(FASHION_MNIST_DIR)) {
      const { train, test } = loadFashionMnist();
      expect([train.count, test.count, train.features]).toEqual([60000, 10000, 784]);
      const counts = new Array(10).fill(0);
      for (const label of train.labels!) counts[label]++;
      expect(counts).toEqual(new Array(10).fill(6000)); // Fashion-MNIST is balanced: 6,000 per class
    } else {
      expect(() => loadFashionMnist()).toThrow(/apt-get install dataset-fashion-mnist/);
    }
  });
});
