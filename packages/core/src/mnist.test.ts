import { existsSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { UserError } from "./errors.ts";
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

describe("loadIdxDirectory: files that cannot train", () => {
  const images = (n: number, side: number) => encodeIdx({ dtype: "uint8", dims: [n, side, side], data: new Uint8Array(n * side * side) });
  const labels = (n: number) => encodeIdx({ dtype: "uint8", dims: [n], data: new Uint8Array(n) });
  const directory = (trainSide: number, testSide: number, testCount = 3) => {
    const dir = mkdtempSync(join(tmpdir(), "crossprop-idxdir-"));
    writeFileSync(join(dir, "train-images-idx3-ubyte"), images(4, trainSide));
    writeFileSync(join(dir, "train-labels-idx1-ubyte"), labels(4));
    writeFileSync(join(dir, "t10k-images-idx3-ubyte"), images(testCount, testSide));
    writeFileSync(join(dir, "t10k-labels-idx1-ubyte"), labels(testCount));
    return dir;
  };
  const failure = (dir: string) => {
    try {
      loadIdxDirectory(dir);
    } catch (error) {
      if (error instanceof UserError) return { message: error.message, path: error.path };
      throw error;
    }
    throw new Error("expected a UserError");
  };

  it("refuses test images of another shape than the training images, naming both", () => {
    const dir = directory(28, 14);
    expect(failure(dir)).toEqual({
      message: `${join(dir, "t10k-images-idx3-ubyte")}: images are 14×14, but those in ${join(dir, "train-images-idx3-ubyte")} are 28×28; every file must hold images of one shape`,
      path: "data.path",
    });
  });

  it("refuses a file of zero images", () => {
    const dir = directory(2, 2, 0);
    expect(failure(dir).message).toBe(`${join(dir, "t10k-images-idx3-ubyte")}: holds no images (dimensions 0×2×2); a run needs at least one`);
  });

  it("tells a symlink loop from a missing file, and a file from a directory", () => {
    const dir = directory(2, 2);
    rmSync(join(dir, "t10k-labels-idx1-ubyte"));
    symlinkSync(join(dir, "t10k-labels-idx1-ubyte"), join(dir, "t10k-labels-idx1-ubyte"));
    expect(failure(dir).message).toBe(`${join(dir, "t10k-labels-idx1-ubyte")}: cannot read IDX file (ELOOP: too many levels of symbolic links (a symlink loop))`);
    expect(failure(join(dir, "train-labels-idx1-ubyte")).message).toBe(`IDX directory ${join(dir, "train-labels-idx1-ubyte")} is not a directory`);
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
