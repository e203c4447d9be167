import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { tempDir } from "../cli/helpers.ts";
import { boundedCli, hasNoStackTrace, type BoundedResult } from "./bounded-cli.ts";

// Resources: what cannot fit is refused before it is allocated, with the estimate and the limit;
// a sweep plan's size is computed before it is built; a config is a regular file of at most 1 MB.
// Each case: exit 2, one `error:` line, no stack trace, within seconds, and (where growth was the
// bug) a small peak RSS — the CLI's own base is ~180 MB.

const small = "name: big\ndata: { train_size: 100, test_size: 100 }\ntraining: { epochs: 1 }\n";

function setup(text = small): { dir: string; config: string; out: string } {
  const dir = tempDir("crossprop-resources-");
  const config = join(dir, "config.yaml");
  writeFileSync(config, text);
  return { dir, config, out: join(dir, "out") };
}

/** A refusal up front: exit 2, exactly one error line matching `message`, quick, small, nothing trained. */
function expectRefusal(result: BoundedResult, message: RegExp, out?: string): void {
  expect(result.signal).toBeNull();
  expect(result.stderr.trimEnd().split("\n")).toHaveLength(1);
  expect(result.stderr.trimEnd()).toMatch(message);
  expect(result.status).toBe(2);
  expect(hasNoStackTrace(result)).toBe(true);
  expect(result.ms).toBeLessThan(20_000);
  expect(result.peakRssMb).toBeLessThan(600);
  if (out) expect(existsSync(join(out, "summary.json"))).toBe(false);
}

describe("memory: refused before allocating, naming the estimate and the limit", () => {
  it("model.hidden=[100000000]: a weight matrix no typed array can hold (was a RangeError)", () => {
    const { config, out } = setup();
    const result = boundedCli(["run", config, "--set", "model.hidden=[100000000]", "--out", out, "-q"]);
    expectRefusal(
      result,
      /^error: --set model\.hidden=\[100000000\]: model\.hidden\[0\]: a 784 × 100,000,000 weight matrix has 78,400,000,000 elements; a typed array holds at most 4,294,967,296$/,
      out,
    );
  });

  it("model.hidden: [50000, 50000, 50000] in the file: the estimate against 75% of the machine, at the YAML line", () => {
    const { config, out } = setup(`${small}model:\n  hidden: [50000, 50000, 50000]\n`);
    const result = boundedCli(["run", config, "--out", out, "-q"]);
    expectRefusal(
      result,
      /^error: .*config\.yaml:5:12: model\.hidden\[0\]: the run needs about 121 GB \(parameter snapshots 80\.6 GB, parameters 20\.2 GB, gradients 20\.2 GB, .*\), more than the memory limit of [\d.]+ GB \(75% of this machine's [\d.]+ GB; set CROSSPROP_MEMORY_LIMIT_MB to change it\)$/,
      out,
    );
  });

  it("model.hidden=[1000000]: refused at once instead of growing past 6 GB", () => {
    const { config, out } = setup();
    const result = boundedCli(["run", config, "--set", "model.hidden=[1000000]", "--out", out, "-q"]);
    expectRefusal(result, /^error: --set model\.hidden=\[1000000\]: model\.hidden\[0\]: the run needs about 2\d\.\d GB \(parameter snapshots 12\.7 GB, .*\), more than the memory limit of /, out);
  });

  it("data.synthetic.train_samples=1e20: no typed array holds the data (was a RangeError)", () => {
    const { config, out } = setup("name: big\ndata: { dataset: synthetic-linear }\nloss: { type: mse }\n");
    const result = boundedCli(["run", config, "--set", "data.synthetic.train_samples=1e20", "--out", out, "-q"]);
    expectRefusal(
      result,
      /^error: --set data\.synthetic\.train_samples=1e20: data\.synthetic\.train_samples: 1\.00e\+20 examples × 3 features are 3\.00e\+20 values; a typed array holds at most 4,294,967,296$/,
      out,
    );
  });

  it("a model past the wasm engine's 2 GiB is refused with the way out, not 'kernels memory exhausted'", () => {
    const { config, out } = setup(`${small}model:\n  hidden: [300000]\n`);
    const result = boundedCli(["run", config, "--out", out, "-q"]);
    expectRefusal(
      result,
      /^error: .*config\.yaml:5:12: model\.hidden\[0\]: on the wasm engine the parameters, gradients and activations need about 2\.7 GB of its memory, more than the 2\.15 GB \(2 GiB\) it has; use a smaller model or set manual\.engine: typescript$/,
      out,
    );
  });

  it("CROSSPROP_MEMORY_LIMIT_MB sets the limit, and a bad value is a usage error", () => {
    const { config, out } = setup(`${small}model: { hidden: [10000] }\n`);
    const limited = boundedCli(["run", config, "--out", out, "-q"], { env: { CROSSPROP_MEMORY_LIMIT_MB: "100" } });
    expectRefusal(limited, /^error: .*config\.yaml:4:19: model\.hidden\[0\]: the run needs about 2\d\d MB \(.*\), more than the memory limit of 100 MB \(CROSSPROP_MEMORY_LIMIT_MB=100\)$/, out);
    const bad = boundedCli(["run", config, "--out", out, "-q"], { env: { CROSSPROP_MEMORY_LIMIT_MB: "lots" } });
    expectRefusal(bad, /^error: CROSSPROP_MEMORY_LIMIT_MB: expected a number of megabytes > 0, got "lots"$/, out);
  });

  it("a sweep whose widest trial cannot fit is refused at the plan, before any trial runs", () => {
    const { config, out } = setup(`${small}sweep:\n  grid:\n    model.hidden: [[16], [1000000]]\n`);
    const result = boundedCli(["sweep", config, "--out", out, "-q"]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/model\.hidden\[0\]: the run needs about 2\d\.\d GB/);
    expect(hasNoStackTrace(result)).toBe(true);
    expect(existsSync(join(out, "trials"))).toBe(false);
  });
});

describe("sweep plans: the size is computed before the plan is built", () => {
  it("a 10-path × 10-value grid (10^10 trials) is refused in seconds, even with --plan", () => {
    const paths = ["optimizer.lr", "optimizer.momentum", "optimizer.beta1", "optimizer.beta2", "optimizer.epsilon", "optimizer.weight_decay", "seed", "data.train_size", "training.epochs", "training.batch_size"];
    const grid = paths.map((path) => `    ${path}: [${Array.from({ length: 10 }, (_, v) => (path.startsWith("optimizer.") ? 0.01 * (v + 1) : v + 1)).join(", ")}]`);
    const { config } = setup(`name: big\nsweep:\n  grid:\n${grid.join("\n")}\n`);
    const result = boundedCli(["sweep", config, "--plan"]);
    expectRefusal(
      result,
      /^error: .*config\.yaml:4:5: sweep\.grid: the plan has 10,000,000,000 trials \(10 × 10 × 10 × 10 × 10 × 10 × 10 × 10 × 10 × 10 grid\), more than the 10,000 a sweep may hold; split it into smaller sweeps or use random search$/,
    );
  });
});

describe("the config file: a regular file of at most 1 MB", () => {
  it("/dev/zero (through a symlink), a FIFO and a directory are refused at once", () => {
    const { dir } = setup();
    symlinkSync("/dev/zero", join(dir, "zero.yaml"));
    expectRefusal(boundedCli(["run", join(dir, "zero.yaml")]), /^error: .*zero\.yaml: cannot read the config file: it is a character device, not a regular file$/);
    expectRefusal(boundedCli(["run", "/dev/zero"]), /^error: \/dev\/zero: cannot read the config file: it is a character device, not a regular file$/);
    execFileSync("mkfifo", [join(dir, "fifo.yaml")]);
    const fifo = boundedCli(["sweep", join(dir, "fifo.yaml"), "--plan"], { timeoutMs: 15_000 });
    expectRefusal(fifo, /^error: .*fifo\.yaml: cannot read the config file: it is a FIFO \(named pipe\), not a regular file$/);
    mkdirSync(join(dir, "configs.yaml"));
    expectRefusal(boundedCli(["check", join(dir, "configs.yaml")]), /^error: .*configs\.yaml: cannot read the config file: it is a directory, not a regular file$/);
  });

  it("a file over 1 MB is refused before it is parsed", () => {
    const { config } = setup(`${small}# ${"padding ".repeat(150_000)}\n`);
    expectRefusal(boundedCli(["run", config]), /^error: .*config\.yaml: cannot read the config file: it is 1,200,\d+ bytes, more than the 1,000,000 bytes \(1 MB\) a config may be$/);
  });

  it("a YAML alias bomb is a config error at the first alias's line:column (was an internal error)", () => {
    const levels = ["a: &a [x, x, x, x, x, x, x, x, x]"];
    for (const [name, inner] of [["b", "a"], ["c", "b"], ["d", "c"], ["e", "d"], ["f", "e"], ["g", "f"], ["h", "g"], ["i", "h"]]) {
      levels.push(`${name}: &${name} [${Array(9).fill(`*${inner}`).join(", ")}]`);
    }
    const { config } = setup(`name: bomb\n${levels.join("\n")}\n`);
    expectRefusal(
      boundedCli(["run", config]),
      /^error: .*config\.yaml:3:8: invalid YAML: aliases expand to too many nodes \(excessive alias count indicates a resource exhaustion attack\); write the values out instead$/,
    );
  });
});
