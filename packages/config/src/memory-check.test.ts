import { afterAll, describe, expect, it } from "vitest";
import { ConfigError } from "./errors.ts";
import { loadConfig } from "./load.ts";
import { memoryShape } from "./memory-check.ts";
import { removeConfigs, writeConfig } from "./configs.fixture.ts";

afterAll(removeConfigs);

const limit = { bytes: 1e9, source: "a test's 1 GB" };

/** The one line loading `text` reports under a 1 GB limit, with the file name replaced by FILE. */
function refusal(text: string, sets: string[] = []): string {
  const file = writeConfig(text);
  try {
    loadConfig(file, sets, { memoryLimit: limit });
  } catch (error) {
    if (error instanceof ConfigError) return error.message.replaceAll(file, "FILE");
    throw error;
  }
  throw new Error("expected a ConfigError");
}

describe("runFitsInMemory", () => {
  it("refuses a model past the limit at the widest hidden layer's line, naming the estimate and the limit", () => {
    expect(refusal("name: run\nmodel:\n  hidden: [100, 200000]\n")).toMatch(
      /^FILE:3:17: model\.hidden\[1\]: the run needs about 1\.62 GB \(evaluation 821 MB, parameter snapshots 356 MB, .*, data 55\.2 MB\), more than the memory limit of 1 GB \(a test's 1 GB\)$/,
    );
  });

  it("counts the optimizer's state: a model that fits with sgd does not with adam", () => {
    const file = writeConfig("name: run\nmodel: { hidden: [20000] }\nmanual: { engine: typescript }\n");
    expect(loadConfig(file, [], { memoryLimit: limit }).config.model.hidden).toEqual([20000]);
    // sgd ≈ 541 MB, adam ≈ 668 MB (two moments of 63.6 MB of parameters): a 0.6 GB limit lies between.
    expect(() => loadConfig(file, ["optimizer.type=adam"], { memoryLimit: { bytes: 0.6e9, source: "0.6 GB" } })).toThrow(/optimizer state 127 MB/);
    expect(loadConfig(file, [], { memoryLimit: { bytes: 0.6e9, source: "0.6 GB" } })).toBeDefined();
  });

  it("blames the generated data when it dominates, and typed-array overflow before any limit", () => {
    const synthetic = "name: run\ndata: { dataset: synthetic-linear }\nloss: { type: mse }\n";
    expect(refusal(synthetic, ["data.synthetic.train_samples=100000000"])).toMatch(
      /^--set data\.synthetic\.train_samples=100000000: data\.synthetic\.train_samples: the run needs about 1\.6 GB \(data 1\.6 GB/,
    );
    expect(refusal(synthetic, ["data.synthetic.train_samples=1e20"])).toBe(
      "--set data.synthetic.train_samples=1e20: data.synthetic.train_samples: 1.00e+20 examples × 3 features are 3.00e+20 values; a typed array holds at most 4,294,967,296",
    );
  });

  it("names a weight matrix too large for any typed array, whatever the limit", () => {
    const file = writeConfig("name: run\ndata: { test_size: 100 }\nmodel:\n  hidden: [100000000]\n");
    expect(() => loadConfig(file, [], { memoryLimit: null })).toThrow(
      `${file}:4:12: model.hidden[0]: a 784 × 100,000,000 weight matrix has 78,400,000,000 elements; a typed array holds at most 4,294,967,296`,
    );
  });

  it("blames the batch size when a full batch's activations dominate", () => {
    expect(refusal("name: run\nmodel: { hidden: [2000] }\ntraining:\n  batch_size: full\n")).toMatch(/^FILE:4:15: training\.batch_size: the run needs about [\d.]+ GB \(activations/);
  });

  it("refuses what the wasm engines' 2 GiB cannot hold, and suggests the typescript engine", () => {
    const text = "name: run\ndata: { train_size: 100, test_size: 100 }\nmodel:\n  hidden: [300000]\n";
    const file = writeConfig(text);
    const big = { bytes: 100e9, source: "100 GB" };
    expect(() => loadConfig(file, [], { memoryLimit: big })).toThrow(
      /^.*:4:12: model\.hidden\[0\]: on the wasm engine the parameters, gradients and activations need about 2\.7 GB of its memory, more than the 2\.15 GB \(2 GiB\) it has; use a smaller model or set manual\.engine: typescript$/,
    );
    expect(loadConfig(file, ["manual.engine=typescript"], { memoryLimit: big })).toBeDefined();
    expect(loadConfig(file, ["dtype=float64"], { memoryLimit: big })).toBeDefined();
  });
});

describe("memoryShape", () => {
  it("reads the layer widths, batch and data from the config", () => {
    const loaded = loadConfig(writeConfig("name: run\ndata: { classes: [3, 7], train_size: 500 }\nmodel: { hidden: [32] }\ntraining: { batch_size: full }\n"));
    expect(memoryShape(loaded.config)).toEqual({
      widths: [784, 32, 2],
      dtype: "float32",
      optimizer: "sgd",
      batchSize: 500,
      evalRows: 256,
      data: { examples: 70_000, features: 784, bytesPerValue: 1, targetsPerExample: 1 },
    });
  });
});
