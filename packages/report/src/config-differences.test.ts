import { describe, expect, it } from "vitest";
import { configDifferences, leafText } from "./config-differences.ts";

const A = `name: mlp
backend: manual
model:
  hidden: [16]
  activation: relu
optimizer:
  type: sgd
  lr: 0.1
  momentum: 0
training:
  epochs: 2
schedule:
  - { at: 1, lr: 0.1 }
  - { at: 5, lr: 0.01 }
`;

const B = `name: mlp
backend: tfjs
model:
  hidden: [32, 16]
  activation: relu
optimizer:
  type: sgd
  lr: 5.0e-2
  momentum: 0.0
  nesterov: true
training:
  epochs: 2
schedule:
  - { at: 1, lr: 1.0e-1 }
  - { at: 5, lr: 0.001 }
`;

describe("configDifferences", () => {
  it("lists exactly the leaves that differ, by key path, in the first config's order (keys only B has after)", () => {
    expect(configDifferences(A, B)).toEqual([
      { path: "backend", a: "manual", b: "tfjs" },
      { path: "model.hidden", a: [16], b: [32, 16] },
      { path: "optimizer.lr", a: 0.1, b: 0.05 },
      { path: "optimizer.nesterov", a: undefined, b: true },
      { path: "schedule[1].lr", a: 0.01, b: 0.001 },
    ]);
  });

  it("compares values as parsed: 0 and 0.0, 0.1 and 1.0e-1 are the same; the same text has no differences", () => {
    expect(configDifferences(A, A)).toEqual([]);
    expect(configDifferences("lr: 0.1\nm: 0\n", "lr: 1.0e-1\nm: 0.0\n")).toEqual([]);
  });

  it("reports a key absent on one side, and a section replaced by a scalar, as one leaf each", () => {
    expect(configDifferences("a: { b: 1 }\nc: 2\n", "a: 3\n")).toEqual([
      { path: "a", a: { b: 1 }, b: 3 },
      { path: "c", a: 2, b: undefined },
    ]);
  });
});

describe("leafText", () => {
  it("shows strings bare, lists in brackets, objects as JSON, absence in words", () => {
    expect(leafText("tfjs")).toBe("tfjs");
    expect(leafText([32, 16])).toBe("[32, 16]");
    expect(leafText({ b: 1 })).toBe('{"b":1}');
    expect(leafText(null)).toBe("null");
    expect(leafText(undefined)).toBe("(absent)");
  });
});
