import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { UserError } from "@crossprop/core";
import { parse } from "yaml";
import { afterAll, describe, expect, it } from "vitest";
import { ConfigError } from "./errors.ts";
import { loadConfig } from "./load.ts";
import { issuesOf, removeConfigs, writeConfig } from "./configs.fixture.ts";

afterAll(removeConfigs);

const initDefaults = { std: 1, limit: 1, gain: null, distribution: "normal" };

/** What `name: run` resolves to: every default, nested ones included. */
const defaults = {
  name: "run",
  seed: 0,
  backend: "manual",
  dtype: "float32",
  data: {
    dataset: "mnist",
    path: null,
    synthetic: { weights: [3, 4, 2], bias: 5, noise_std: 0.5, train_samples: 2000, valid_samples: 500 },
    split: "standard",
    valid_fraction: 0.15,
    train_size: null,
    test_size: null,
    classes: null,
  },
  model: {
    hidden: [],
    activation: "relu",
    output_activation: "identity",
    init: { weights: { type: "kaiming", ...initDefaults }, biases: { type: "zeros", ...initDefaults } },
  },
  loss: { type: "cross_entropy", reduction: "mean", target_scale: 1, scale: 1 },
  optimizer: {
    type: "sgd",
    lr: 0.1,
    lr_scale: "none",
    schedule: { type: "constant", milestones: [], gamma: 0.1 },
    momentum: 0.9,
    beta1: 0.9,
    beta2: 0.999,
    epsilon: 1e-8,
    weight_decay: 0,
  },
  training: { epochs: 1, steps: null, batch_size: 64, eval_every: null, shuffle: true, threads: null },
  manual: { engine: "wasm" },
  autograd: { engine: "wasm" },
  tfjs: { engine: "auto" },
  check: { backends: ["manual:wasm", "manual:typescript", "autograd:wasm", "autograd:typescript", "tfjs"], reference: "manual:typescript", steps: 5, rtol: null, atol: null, fd_samples: 50, fd_rows: 32 },
  expect: {},
};

describe("loadConfig: good configs", () => {
  it("fills every default, including inside sections the file never mentions", () => {
    const text = "# yaml-language-server: $schema=../packages/config/schema/crossprop.schema.json\nname: run\n";
    const file = writeConfig(text);
    const loaded = loadConfig(file);
    expect(loaded.config).toEqual(defaults);
    expect(loaded.file).toBe(file);
    expect(loaded.sets).toEqual([]);
  });

  it("keeps what the file says and fills the rest of each nested section", () => {
    const text = [
      "name: mlp-128.v2",
      "seed: 7",
      "backend: tfjs",
      "data:",
      "  split: pooled",
      "  classes: [3, 8]",
      "model:",
      "  hidden: [128]",
      "  init:",
      "    weights: {type: normal, std: 0.01}",
      "training:",
      "  epochs: 3",
      "expect:",
      "  valid_accuracy: {min: 0.9}",
      "",
    ].join("\n");
    const { config } = loadConfig(writeConfig(text));
    expect(config.data).toEqual({ ...defaults.data, split: "pooled", classes: [3, 8] });
    expect(config.model.hidden).toEqual([128]);
    expect(config.model.init.weights).toEqual({ ...initDefaults, type: "normal", std: 0.01 });
    expect(config.model.init.biases).toEqual({ ...initDefaults, type: "zeros" });
    expect(config.training).toEqual({ epochs: 3, steps: null, batch_size: 64, eval_every: null, shuffle: true, threads: null });
    expect(config.expect).toEqual({ valid_accuracy: { min: 0.9 } });
    expect(config.optimizer).toEqual(defaults.optimizer);
  });

  it("resolvedYaml is the whole resolved config, in schema order, and parses back to it", () => {
    const loaded = loadConfig(writeConfig("training:\n  epochs: 2\nname: run\n"), ["optimizer.lr=0.5"]);
    expect(parse(loaded.resolvedYaml)).toEqual(loaded.config);
    const topKeys = loaded.resolvedYaml.split("\n").filter((line) => /^\w/.test(line)).map((line) => line.split(":")[0]);
    expect(topKeys).toEqual(["name", "seed", "backend", "dtype", "data", "model", "loss", "optimizer", "training", "manual", "autograd", "tfjs", "check", "expect"]);
    expect(loaded.resolvedYaml).toContain("  lr: 0.5\n");
  });

  it("locate() says where a field was written: file line:column, the --set, or only the file for a default", () => {
    const file = writeConfig("name: run\ndata:\n  train_size: 1000\n");
    const loaded = loadConfig(file, ["data.test_size=50"]);
    expect(loaded.locate("data.train_size")).toEqual({ origin: file, line: 3, column: 15 });
    expect(loaded.locate("data.test_size")).toEqual({ origin: "--set data.test_size=50" });
    expect(loaded.locate("training.epochs")).toEqual({ origin: file });
  });
});

describe("loadConfig: files that are not configs", () => {
  it("a missing file is a ConfigError with exit code 2 and no stack in its message", () => {
    const file = join(mkdtempSync(join(tmpdir(), "crossprop-config-")), "nope.yaml");
    let caught: unknown;
    try {
      loadConfig(file);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    expect(caught).toBeInstanceOf(UserError);
    expect((caught as ConfigError).exitCode).toBe(2);
    expect((caught as ConfigError).message).toBe(`${file}: cannot read the config file: no such file`);
  });

  it("an empty file, or one with only comments", () => {
    for (const text of ["", "# nothing yet\n", "---\n"]) {
      const { file, message } = issuesOf(text);
      expect(message).toBe(`${file}: the file is empty; expected a mapping of config fields such as \`name: my-run\``);
    }
  });

  it("a top level that is not a mapping", () => {
    const { file, message } = issuesOf("# a list\n- name: run\n");
    expect(message).toBe(`${file}:2:1: expected a mapping of config fields at the top level, got a list`);
    expect(issuesOf("just-a-name\n").message).toMatch(/:1:1: expected a mapping of config fields at the top level, got the value "just-a-name"$/);
  });

  it("a YAML syntax error gives line:column", () => {
    const { file, message } = issuesOf("name: run\ntraining:\n  epochs: [1, 2\n  batch_size: 3\n");
    expect(message).toBe(`${file}:4:3: invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]`);
    expect(issuesOf("name: run\n\tseed: 1\n").issues).toEqual([
      expect.objectContaining({ path: "", line: 2, column: 1, message: "invalid YAML: Tabs are not allowed as indentation" }),
    ]);
  });

  it("duplicate keys are a YAML error at the repeated key", () => {
    const { issues } = issuesOf("name: run\nseed: 1\nseed: 2\n");
    expect(issues).toEqual([expect.objectContaining({ path: "seed", line: 3, column: 1, message: "invalid YAML: duplicate key, first written at line 2" })]);
  });
});

describe("loadConfig: several errors at once", () => {
  it("reports every issue, one line each, in file order", () => {
    const text = [
      "# yaml-language-server: $schema=../packages/config/schema/crossprop.schema.json",
      "name: run",
      "optimzer:",
      "  lr: 0.5",
      "model:",
      "  activation: relu6",
      "data:",
      "  train_size: -5",
      "training:",
      "  batch_size: 0",
      "",
    ].join("\n");
    const { file, message } = issuesOf(text, ["optimizer.lr=abc"]);
    expect(message.split("\n")).toEqual([
      `${file}:3:1: optimzer: unknown key — did you mean "optimizer"?`,
      `${file}:6:15: model.activation: expected one of relu, tanh, sigmoid, identity, got "relu6" — did you mean "relu"?`,
      `${file}:8:15: data.train_size: expected an integer ≥ 1 or null, got -5`,
      `${file}:10:15: training.batch_size: expected an integer ≥ 1 or "full", got 0`,
      `--set optimizer.lr=abc: optimizer.lr: expected a number > 0, got "abc"`,
    ]);
  });
});

describe("loadConfig: hostile YAML and relative paths", () => {
  it("an alias bomb (aliases of aliases) is a YAML error at the first alias, not a thrown ReferenceError", () => {
    const levels = ["a: &a [x, x, x, x, x, x, x, x, x]"];
    for (const [name, inner] of [["b", "a"], ["c", "b"], ["d", "c"], ["e", "d"], ["f", "e"], ["g", "f"]]) {
      levels.push(`${name}: &${name} [${Array(9).fill(`*${inner}`).join(", ")}]`);
    }
    const { file, message } = issuesOf(`name: run\n${levels.join("\n")}\n`);
    expect(message).toBe(
      `${file}:3:8: invalid YAML: aliases expand to too many nodes (excessive alias count indicates a resource exhaustion attack); write the values out instead`,
    );
  });

  it("a few aliases are fine", () => {
    const loaded = loadConfig(writeConfig("name: run\nmodel:\n  hidden: &h [8]\nsweep:\n  grid:\n    model.hidden: [*h, [16]]\n"));
    expect(loaded.config.sweep?.grid["model.hidden"]).toEqual([[8], [16]]);
  });

  it("resolves a relative data.path against the config file's directory, whatever the working directory", () => {
    const file = writeConfig("name: run\ndata:\n  dataset: idx\n  path: ../digits\n");
    const loaded = loadConfig(file);
    expect(loaded.config.data.path).toBe(join(file, "../../digits"));
    expect(loaded.resolvedYaml).toContain(`path: ${join(file, "../../digits")}`);
    expect(loadConfig(file, ["data.path=/srv/digits"]).config.data.path).toBe("/srv/digits");
  });
});
