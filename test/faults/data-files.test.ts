import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { tempDir } from "../cli/helpers.ts";
import { boundedCli, hasNoStackTrace, type BoundedResult } from "./bounded-cli.ts";

// Data files: only regular files are read; an IDX header is checked against the file before its
// body; gzip inflates no further than the header says; data that cannot train (no examples, two
// image shapes) is refused before training; a relative data.path is the config file's neighbour.
// Each case: exit code, the one error line, no stack trace, a time bound, and what is left in --out.

const FILES = { trainImages: "train-images-idx3-ubyte", trainLabels: "train-labels-idx1-ubyte", testImages: "t10k-images-idx3-ubyte", testLabels: "t10k-labels-idx1-ubyte" };
/** A uint8 IDX file: 00 00 08 <rank>, big-endian dimensions, the bytes. */
function idx(dims: number[], data: Uint8Array): Buffer {
  const header = Buffer.alloc(4 + 4 * dims.length);
  header[2] = 0x08;
  header[3] = dims.length;
  dims.forEach((d, i) => header.writeUInt32BE(d, 4 + 4 * i));
  return Buffer.concat([header, data]);
}
const images = (count: number, side = 4) => idx([count, side, side], Uint8Array.from({ length: count * side * side }, (_, i) => (i * 37) % 256));
const labels = (count: number, label = (i: number) => i % 10) => idx([count], Uint8Array.from({ length: count }, (_, i) => label(i)));

/** A sweep-or-run directory: config.yaml naming ./digits (relative), and digits/ holding four good IDX files. */
function setup(extra = ""): { dir: string; data: string; config: string; out: string } {
  const dir = tempDir("crossprop-data-files-");
  const data = join(dir, "digits");
  mkdirSync(data);
  writeFileSync(join(data, FILES.trainImages), images(20));
  writeFileSync(join(data, FILES.trainLabels), labels(20));
  writeFileSync(join(data, FILES.testImages), images(10));
  writeFileSync(join(data, FILES.testLabels), labels(10));
  const config = join(dir, "config.yaml");
  writeFileSync(config, `name: digits\ndata:\n  dataset: idx\n  path: digits\ntraining: { epochs: 1, batch_size: 5 }\n${extra}`);
  return { dir, data, config, out: join(dir, "out") };
}

/** Writes gzip(head + `mebibytes` MiB of zeros) to `path`, streamed in a child process. */
function gzipBomb(path: string, head: Buffer, mebibytes: number): void {
  const code = `const zlib = require("node:zlib"), fs = require("node:fs");
    const [path, head, count] = process.argv.slice(1);
    const gzip = zlib.createGzip({ level: 9 });
    gzip.pipe(fs.createWriteStream(path));
    gzip.write(Buffer.from(head, "hex"));
    const zeros = Buffer.alloc(1 << 20);
    let left = Number(count);
    const more = () => { while (left > 0) { left--; if (!gzip.write(zeros)) return gzip.once("drain", more); } gzip.end(); };
    more();`;
  execFileSync(process.execPath, ["-e", code, path, head.toString("hex"), String(mebibytes)]);
}

/** Replaces one IDX file of `data` with `make(path)`'s doing. */
function replace(data: string, name: string, make: (path: string) => void): string {
  const path = join(data, name);
  rmSync(path);
  make(path);
  return path;
}

/** Refused up front: exit 2, one line pointing at data.path's line (4:9), no stack trace, quick, nothing trained. */
function expectRefusal(result: BoundedResult, message: string | RegExp, out: string, where = "config.yaml:4:9: data.path: "): void {
  expect(result.signal).toBeNull();
  const lines = result.stderr.trimEnd().split("\n");
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^error: \//);
  if (typeof message === "string") expect(lines[0]!.endsWith(`${where}${message}`), lines[0]).toBe(true);
  else expect(lines[0]).toMatch(message);
  expect(result.status).toBe(2);
  expect(hasNoStackTrace(result)).toBe(true);
  expect(result.ms).toBeLessThan(20_000);
  for (const file of ["summary.json", "final.safetensors", "metrics.jsonl"]) expect(existsSync(join(out, file))).toBe(false);
}

describe("only regular files are read", () => {
  it("a FIFO in place of an IDX file is refused at once (it blocked forever, deaf to SIGTERM)", () => {
    const { data, config, out } = setup();
    const fifo = replace(data, FILES.trainImages, (path) => execFileSync("mkfifo", [path]));
    const result = boundedCli(["run", config, "--out", out, "-q"], { timeoutMs: 15_000 });
    expectRefusal(result, `${fifo}: cannot read IDX file: it is a FIFO (named pipe), not a regular file`, out);
  });

  it("a symlink to /dev/zero is refused before a byte is read (it grew without bound)", () => {
    const { data, config, out } = setup();
    const zero = replace(data, FILES.testImages, (path) => symlinkSync("/dev/zero", path));
    const result = boundedCli(["run", config, "--out", out, "-q"]);
    expectRefusal(result, `${zero}: cannot read IDX file: it is a character device, not a regular file`, out);
    expect(result.peakRssMb).toBeLessThan(600);
  });

  it("a symlink loop is reported as one, not as 'not found'", () => {
    const { data, config, out } = setup();
    const loop = replace(data, FILES.testLabels, (path) => symlinkSync(path, path));
    const result = boundedCli(["run", config, "--out", out, "-q"]);
    expectRefusal(result, `${loop}: cannot read IDX file (ELOOP: too many levels of symbolic links (a symlink loop))`, out);
  });
});

describe("headers are checked before bodies, and gzip inflates no further than the header says", () => {
  it("a header claiming 60,000 images over a 16-byte file is truncated data, with nothing allocated for the claim", () => {
    const { data, config, out } = setup();
    const liar = replace(data, FILES.trainImages, (path) => writeFileSync(path, images(60_000, 28).subarray(0, 16)));
    const result = boundedCli(["run", config, "--out", out, "-q"]);
    expectRefusal(result, `${liar}: IDX data truncated: dimensions 60000×28×28 need 47040000 bytes of uint8, file has 0`, out);
  });

  it("an empty file is not an IDX file", () => {
    const { data, config, out } = setup();
    const empty = replace(data, FILES.trainLabels, (path) => writeFileSync(path, ""));
    expectRefusal(boundedCli(["run", config, "--out", out, "-q"]), `${empty}: not an IDX file: magic bytes are "", expected "00 00 <type> <dims>"`, out);
  });

  it("a gzip bomb stops at the header's size instead of inflating gigabytes", () => {
    const { data, config, out } = setup();
    // 20 labels, then 1 GiB of zeros: about 1 MB compressed, streamed by a child process so this
    // one never holds the gigabyte (a forked child inherits its parent's peak RSS on Linux).
    const path = replace(data, FILES.trainLabels, (file) => gzipBomb(`${file}.gz`, labels(20), 1024));
    expect(statSync(`${path}.gz`).size).toBeLessThan(2_000_000);
    const result = boundedCli(["run", config, "--out", out, "-q"]);
    expectRefusal(
      result,
      `${path}.gz: IDX data has trailing bytes: the gzip stream inflates past the 28 bytes its header declares (dimensions 20 of uint8); stopped there`,
      out,
    );
    expect(result.peakRssMb).toBeLessThan(600);
  });
});

describe("data that cannot train is refused before training", () => {
  it("test images of another shape than the training images, naming both shapes", () => {
    const { data, config, out } = setup();
    const small = replace(data, FILES.testImages, (path) => writeFileSync(path, images(10, 2)));
    const result = boundedCli(["run", config, "--out", out, "-q"]);
    expectRefusal(result, `${small}: images are 2×2, but those in ${join(data, FILES.trainImages)} are 4×4; every file must hold images of one shape`, out);
  });

  it("a file of zero images (it ended `completed` with NaN metrics)", () => {
    const { data, config, out } = setup();
    const none = replace(data, FILES.testImages, (path) => writeFileSync(path, images(0)));
    replace(data, FILES.testLabels, (path) => writeFileSync(path, labels(0)));
    expectRefusal(boundedCli(["run", config, "--out", out, "-q"]), `${none}: holds no images (dimensions 0×4×4); a run needs at least one`, out);
  });

  it("data.classes that leaves no validation examples, at data.classes' line", () => {
    const { data, config, out } = setup("");
    replace(data, FILES.testLabels, (path) => writeFileSync(path, labels(10, () => 1)));
    writeFileSync(config, `${readFileSync(config, "utf8").replace("  path: digits\n", "  path: digits\n  classes: [3, 4]\n")}`);
    expectRefusal(boundedCli(["run", config, "--out", out, "-q"]), /^error: .*config\.yaml:5:12: data\.classes: \[3, 4\] leaves no validation examples$/, out, "config.yaml:5:12: data.classes: ");
  });
});

describe("a relative data.path is the config file's neighbour", () => {
  it("run and sweep find ./digits beside the config from any working directory", () => {
    const { config, out } = setup("sweep:\n  grid:\n    optimizer.lr: [0.1, 0.2]\n");
    const elsewhere = tempDir("crossprop-elsewhere-");
    const run = boundedCli(["run", config, "--out", join(out, "run"), "-q"], { cwd: elsewhere, timeoutMs: 60_000 });
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(JSON.parse(readFileSync(join(out, "run", "summary.json"), "utf8")).status).toBe("completed");
    const sweep = boundedCli(["sweep", config, "--workers", "2", "--out", join(out, "sweep"), "-q"], { cwd: elsewhere, timeoutMs: 90_000 });
    expect(sweep.status).toBe(0);
    expect(hasNoStackTrace(sweep)).toBe(true);
    const results = JSON.parse(readFileSync(join(out, "sweep", "results.json"), "utf8"));
    expect(results.trials.map((trial: { status: string }) => trial.status)).toEqual(["completed", "completed"]);
    expect(readdirSync(elsewhere)).toEqual([]); // nothing looked for, or written, in the working directory
  });
});
