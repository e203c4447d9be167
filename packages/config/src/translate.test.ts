import { Ajv } from "ajv";
import { afterAll, describe, expect, it } from "vitest";
import { issuesOf, removeConfigs } from "./configs.fixture.ts";
import { translateErrors } from "./translate.ts";

afterAll(removeConfigs);

/** The single issue a config produces, without the temp file name. */
function onlyIssue(text: string) {
  const { file, issues } = issuesOf(text);
  expect(issues).toHaveLength(1);
  const { origin, ...rest } = issues[0]!;
  expect(origin).toBe(file);
  return rest;
}

describe("schema errors in plain words, pointing at the YAML", () => {
  it("misspelled top-level key: points at the key and suggests the right one", () => {
    expect(onlyIssue("name: run\noptimzer:\n  lr: 0.5\n")).toEqual({
      path: "optimzer", line: 2, column: 1, message: "unknown key", suggestion: "optimizer",
    });
  });

  it("misspelled nested key", () => {
    expect(onlyIssue("name: run\ntraining:\n  epoch: 3\n")).toEqual({
      path: "training.epoch", line: 3, column: 3, message: "unknown key", suggestion: "epochs",
    });
  });

  it("unknown key with nothing close lists the known keys", () => {
    expect(onlyIssue("name: run\nloss:\n  label_smoothing: 0.1\n")).toEqual({
      path: "loss.label_smoothing", line: 3, column: 3, message: "unknown key; expected one of type, reduction, target_scale, scale",
    });
  });

  it("unknown metric in expect: abbreviation and typo both get a suggestion", () => {
    expect(onlyIssue("name: run\nexpect:\n  valid_acc: {min: 0.9}\n")).toEqual({
      path: "expect.valid_acc", line: 3, column: 3, message: "unknown key", suggestion: "valid_accuracy",
    });
    expect(onlyIssue("name: run\nexpect:\n  trian_loss: {max: 1}\n").suggestion).toBe("train_loss");
  });

  it("wrong enum value with a suggestion", () => {
    expect(onlyIssue("name: run\nmodel:\n  activation: relu6\n")).toEqual({
      path: "model.activation", line: 3, column: 15,
      message: 'expected one of relu, tanh, sigmoid, identity, got "relu6"', suggestion: "relu",
    });
  });

  it("enum value with nothing close has no suggestion; a number against an enum is one issue", () => {
    expect(onlyIssue("name: run\nloss:\n  type: hinge\n")).toEqual({
      path: "loss.type", line: 3, column: 9, message: 'expected one of cross_entropy, mse, sigmoid_distance, bce, got "hinge"',
    });
    expect(onlyIssue("name: run\nbackend: 3\n").message).toBe("expected one of manual, autograd, tfjs, got 3");
  });

  it("training.batch_size: 0", () => {
    expect(onlyIssue("name: run\ntraining:\n  batch_size: 0\n")).toEqual({
      path: "training.batch_size", line: 3, column: 15, message: 'expected an integer ≥ 1 or "full", got 0',
    });
  });

  it("a fraction where an integer ≥ 1 is expected fails type and minimum but is one issue", () => {
    expect(onlyIssue("name: run\ntraining:\n  batch_size: 0.5\n").message).toBe('expected an integer ≥ 1 or "full", got 0.5');
  });

  it("negative data.train_size: one line, naming null as the alternative", () => {
    expect(onlyIssue("name: run\ndata:\n  train_size: -5\n")).toEqual({
      path: "data.train_size", line: 3, column: 15, message: "expected an integer ≥ 1 or null, got -5",
    });
  });

  it("duplicate classes point at the repeat", () => {
    expect(onlyIssue("name: run\ndata:\n  classes: [3, 5, 3]\n")).toEqual({
      path: "data.classes[2]", line: 3, column: 19, message: "expected unique items, got 3 again (first at data.classes[0])",
    });
  });

  it("class 12 points at the item", () => {
    expect(onlyIssue("name: run\ndata:\n  classes: [1, 12]\n")).toEqual({
      path: "data.classes[1]", line: 3, column: 16, message: "expected an integer from 0 to 9, got 12",
    });
  });

  it("a single class is too few", () => {
    expect(onlyIssue("name: run\ndata:\n  classes: [3]\n")).toEqual({
      path: "data.classes", line: 3, column: 12,
      message: "expected a list of at least 2 unique integers from 0 to 9, or null, got [3]",
    });
  });

  it("string where a number is expected", () => {
    expect(onlyIssue("name: run\noptimizer:\n  lr: fast\n")).toEqual({
      path: "optimizer.lr", line: 3, column: 7, message: 'expected a number > 0, got "fast"',
    });
  });

  it("a field written in the wrong section points at the section that has it", () => {
    expect(onlyIssue("name: run\nepochs: 3\n")).toEqual({ path: "epochs", line: 2, column: 1, message: "unknown key", suggestion: "training.epochs" });
    // steps is in training and in check: no guess.
    expect(onlyIssue("name: run\nsteps: 3\n").suggestion).toBeUndefined();
  });

  it("suggests the enum word of an anyOf, and true/false for YAML 1.1 booleans", () => {
    expect(onlyIssue("name: run\ntraining:\n  batch_size: Full\n").suggestion).toBe("full");
    expect(onlyIssue("name: run\ntraining:\n  shuffle: no\n").suggestion).toBe("false");
  });

  it("an integer past 2^53 says it was rounded when read", () => {
    expect(onlyIssue("name: run\nseed: 9007199254740993\n").message).toBe(
      "expected an integer from 0 to 9007199254740991, got 9007199254740992 (as read: integers past 2^53 are rounded)",
    );
  });

  it("NaN and infinity are not numbers here", () => {
    expect(onlyIssue("name: run\noptimizer:\n  lr: .nan\n").message).toBe("expected a number > 0, got .nan, which is not a finite number");
    expect(onlyIssue("name: run\nloss:\n  target_scale: .inf\n").message).toBe("expected a number > 0, got .inf, which is not a finite number");
  });

  it("missing name points at the top-level mapping", () => {
    const text = "# yaml-language-server: $schema=../packages/config/schema/crossprop.schema.json\nseed: 3\n";
    expect(onlyIssue(text)).toEqual({
      path: "name", line: 2, column: 1, message: "missing; expected a string matching ^[A-Za-z0-9][A-Za-z0-9._-]*$",
    });
  });

  it("a name unusable in a directory name", () => {
    expect(onlyIssue("name: my run\n")).toEqual({
      path: "name", line: 1, column: 7, message: 'expected a string matching ^[A-Za-z0-9][A-Za-z0-9._-]*$, got "my run"',
    });
  });

  it("a section that is not a mapping, including an empty one", () => {
    expect(onlyIssue("name: run\ntraining: 5\n")).toEqual({
      path: "training", line: 2, column: 11, message: "expected a mapping, got 5",
    });
    expect(onlyIssue("name: run\ntraining:\nseed: 1\n")).toEqual({
      path: "training", line: 2, column: 10, message: "expected a mapping, got null",
    });
  });

  it("an expect threshold needs min or max", () => {
    expect(onlyIssue("name: run\nexpect:\n  train_loss: {}\n")).toEqual({
      path: "expect.train_loss", line: 3, column: 15, message: "expected at least one of min, max, got {}",
    });
  });

  it("a list item of the wrong type", () => {
    expect(onlyIssue("name: run\nmodel:\n  hidden: [128, wide]\n")).toEqual({
      path: "model.hidden[1]", line: 3, column: 17, message: 'expected an integer ≥ 1, got "wide"',
    });
  });
});

describe("translateErrors", () => {
  it("collapses a failed anyOf into one sentence", () => {
    const ajv = new Ajv({ allErrors: true, verbose: true });
    const validate = ajv.compile({
      type: "object",
      properties: { size: { anyOf: [{ type: "integer", minimum: 1 }, { type: "null" }] } },
    });
    const data = { size: -5 };
    expect(validate(data)).toBe(false);
    expect(translateErrors(validate.errors ?? [], data)).toEqual([
      { path: ["size"], at: ["size"], on: "value", message: "expected an integer ≥ 1 or null, got -5" },
    ]);
  });
});
