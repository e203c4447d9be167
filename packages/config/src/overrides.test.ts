import { afterAll, describe, expect, it } from "vitest";
import { loadConfig } from "./load.ts";
import { parseOverride } from "./overrides.ts";
import { issuesOf, removeConfigs, writeConfig } from "./configs.fixture.ts";

afterAll(removeConfigs);

const base = "name: run\ntraining:\n  epochs: 2\n";

describe("--set overrides", () => {
  it("parses dotted paths, list indices and YAML values", () => {
    expect(parseOverride("optimizer.lr=0.5")).toMatchObject({ path: ["optimizer", "lr"], value: 0.5 });
    expect(parseOverride("model.hidden=[128,64]")).toMatchObject({ path: ["model", "hidden"], value: [128, 64] });
    expect(parseOverride("model.hidden[1]=32")).toMatchObject({ path: ["model", "hidden", 1], value: 32 });
    expect(parseOverride("data.classes=null")).toMatchObject({ value: null });
    expect(parseOverride("name=a=b")).toMatchObject({ path: ["name"], value: "a=b" });
  });

  it("applies before validation: values replace, missing sections are created, defaults still fill", () => {
    const file = writeConfig(base);
    const { config, sets } = loadConfig(file, ["optimizer.lr=0.5", "model.hidden=[128,64]", "training.batch_size=32"]);
    expect(config.optimizer).toMatchObject({ lr: 0.5, type: "sgd" });
    expect(config.model.hidden).toEqual([128, 64]);
    expect(config.training).toEqual({ epochs: 2, steps: null, batch_size: 32, eval_every: null, shuffle: true, threads: null });
    expect(sets).toEqual(["optimizer.lr=0.5", "model.hidden=[128,64]", "training.batch_size=32"]);
  });

  it("later overrides win, list items can be replaced, and an empty section can be filled", () => {
    const file = writeConfig("name: run\nmodel:\n  hidden: [128, 64]\ntraining:\n");
    const { config } = loadConfig(file, ["model.hidden[1]=32", "training.epochs=3", "training.epochs=4"]);
    expect(config.model.hidden).toEqual([128, 32]);
    expect(config.training.epochs).toBe(4);
  });

  it("--set training.batch_size=0 is reported against the --set, not the file", () => {
    const { issues, message } = issuesOf(base, ["training.batch_size=0"]);
    expect(issues).toEqual([
      { path: "training.batch_size", origin: "--set training.batch_size=0", message: 'expected an integer ≥ 1 or "full", got 0' },
    ]);
    expect(message).toBe('--set training.batch_size=0: training.batch_size: expected an integer ≥ 1 or "full", got 0');
  });

  it("--set replacing a value the file wrote still names the --set", () => {
    const { issues } = issuesOf(base, ["training.epochs=0"]);
    expect(issues).toEqual([{ path: "training.epochs", origin: "--set training.epochs=0", message: "expected an integer ≥ 1, got 0" }]);
  });

  it("--set optimizer.lr=abc", () => {
    const { issues } = issuesOf(base, ["optimizer.lr=abc"]);
    expect(issues).toEqual([{ path: "optimizer.lr", origin: "--set optimizer.lr=abc", message: 'expected a number > 0, got "abc"' }]);
  });

  it("a misspelled key in a --set is reported against the --set, with a suggestion", () => {
    const { issues } = issuesOf(base, ["optimzer.lr=0.5"]);
    expect(issues).toEqual([{ path: "optimzer", origin: "--set optimzer.lr=0.5", message: "unknown key", suggestion: "optimizer" }]);
  });

  it("a bad list item set by index", () => {
    const { issues } = issuesOf("name: run\nmodel:\n  hidden: [128, 64]\n", ["model.hidden[1]=0"]);
    expect(issues).toEqual([{ path: "model.hidden[1]", origin: "--set model.hidden[1]=0", message: "expected an integer ≥ 1, got 0" }]);
  });

  it("malformed overrides: no '=', empty path, bad path, bad YAML value", () => {
    const { issues } = issuesOf(base, ["optimizer.lr", "=3", "a..b=1", "model.hidden=[1,"]);
    expect(issues.map((issue) => [issue.origin, issue.path, issue.message])).toEqual([
      ["--set optimizer.lr", "", 'expected path=value, e.g. --set optimizer.lr=0.5 or --set model.hidden=[128,64]; found no "="'],
      ["--set =3", "", 'expected a field path before "=", e.g. --set optimizer.lr=0.5 or --set model.hidden=[128,64]'],
      ["--set a..b=1", "", 'expected a dotted path such as model.hidden[1], got "a..b"'],
      ["--set model.hidden=[1,", "model.hidden", expect.stringMatching(/^the value is not valid YAML: /)],
    ]);
  });

  it("a path through a scalar, a list or past the end of a list", () => {
    const text = "name: run\nmodel:\n  hidden: [128]\n";
    const { issues } = issuesOf(text, ["name.first=x", "model.hidden.width=3", "model.hidden[4]=3", "training[0]=1"]);
    expect(issues.map((issue) => `${issue.origin} | ${issue.path}: ${issue.message}`)).toEqual([
      '--set name.first=x | name: expected a mapping to hold "first", got "run"',
      '--set model.hidden.width=3 | model.hidden: expected a mapping to hold "width", got a list',
      "--set model.hidden[4]=3 | model.hidden: has 1 item, so there is no [4]",
      "--set training[0]=1 | training: expected a list to index with [0], but this field is a mapping",
    ]);
  });

  it("an index below a key the file does not write: no list to index, nothing half-written", () => {
    const { issues } = issuesOf("name: run\n", ["model.hidden[0]=30", "seed[0]=1", "trainig.x[0]=1"]);
    expect(issues.map((issue) => `${issue.origin} | ${issue.path}: ${issue.message}${issue.suggestion ? ` (${issue.suggestion})` : ""}`)).toEqual([
      "--set model.hidden[0]=30 | model.hidden: is not written in the config, so there is no [0] to set; set the whole list instead, e.g. --set model.hidden=[30]",
      "--set seed[0]=1 | seed: expected a list to index with [0], but this field is an integer from 0 to 9007199254740991",
      "--set trainig.x[0]=1 | trainig: unknown key (training)",
    ]);
  });

  it("an alias in a value is refused, not thrown", () => {
    const { issues } = issuesOf("name: run\n", ["optimizer.lr=*a"]);
    expect(issues).toEqual([{ path: "optimizer.lr", origin: "--set optimizer.lr=*a", message: "the value is not valid YAML: the alias *a has no anchor &a before it" }]);
  });

  it("override issues and file issues are reported together, file first", () => {
    const { file, message } = issuesOf("name: run\ntraining:\n  epochs: 0\n", ["name.first=x", "optimizer.lr=-1"]);
    expect(message.split("\n")).toEqual([
      `${file}:3:11: training.epochs: expected an integer ≥ 1, got 0`,
      '--set name.first=x: name: expected a mapping to hold "first", got "run"',
      "--set optimizer.lr=-1: optimizer.lr: expected a number > 0, got -1",
    ]);
  });
});

describe("--set '~path' removes a key (Hydra's delete grammar)", () => {
  const file = "name: run\nmodel:\n  hidden: [64, 32]\n  init:\n    weights: { type: normal, std: 0.5 }\ntraining:\n  epochs: 5\n  batch_size: 32\n";

  it("the key is gone from the config, so its default applies, and the resolved config records that", () => {
    const { config, resolvedYaml, sets } = loadConfig(writeConfig(file), ["~training.epochs", "~model.hidden[0]"]);
    expect(config.training).toMatchObject({ epochs: 1, batch_size: 32 });
    expect(config.model.hidden).toEqual([32]);
    expect(resolvedYaml).toMatch(/\n {2}epochs: 1\n/);
    expect(sets).toEqual(["~training.epochs", "~model.hidden[0]"]);
  });

  it("~path=value removes only a key holding that value (mappings compared whatever their key order)", () => {
    expect(loadConfig(writeConfig(file), ["~training.epochs=5"]).config.training.epochs).toBe(1);
    expect(loadConfig(writeConfig(file), ["~model.init.weights={std: 0.5, type: normal}"]).config.model.init.weights.type).toBe("kaiming");
    const { issues } = issuesOf(file, ["~training.epochs=3"]);
    expect(issues).toEqual([{ path: "training.epochs", origin: "--set ~training.epochs=3", message: "is 5, not 3, so it is not removed; --set '~training.epochs' removes it whatever its value" }]);
  });

  it("a key the config does not hold is an error, with a did-you-mean among the keys written beside it", () => {
    expect(issuesOf(file, ["~training.epoch"]).issues).toEqual([
      { path: "training.epoch", origin: "--set ~training.epoch", message: "is not in the config, so there is nothing to remove", suggestion: "epochs" },
    ]);
    expect(issuesOf(file, ["~training.steps"]).issues).toEqual([{ path: "training.steps", origin: "--set ~training.steps", message: "is not in the config, so there is nothing to remove" }]);
    expect(issuesOf(file, ["~optimizer.lr"]).issues).toEqual([{ path: "optimizer", origin: "--set ~optimizer.lr", message: "is not in the config, so there is nothing to remove" }]);
    expect(issuesOf(file, ["~model.hidden[2]"]).issues).toEqual([{ path: "model.hidden", origin: "--set ~model.hidden[2]", message: "has 2 items, so there is no [2] to remove" }]);
  });

  it("a removed required key is the --set's issue; a bad path is refused", () => {
    expect(issuesOf(file, ["~name"]).message).toMatch(/^--set ~name: name: missing; expected /);
    expect(issuesOf(file, ["~"]).issues).toEqual([{ path: "", origin: "--set ~", message: `expected a dotted path after "~", e.g. --set '~training.epochs', got ""` }]);
  });

  it("a later --set writes the key again", () => {
    expect(loadConfig(writeConfig(file), ["~training.epochs", "training.epochs=7"]).config.training.epochs).toBe(7);
  });
});
