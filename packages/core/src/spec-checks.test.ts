import { describe, expect, it } from "vitest";
import { mlpLayers, type ModelSpec, type OptimizerSpec } from "./model-spec.ts";
import { checkSpec, SpecError, specIssues, supportIssues } from "./spec-checks.ts";
import { ALL_ACTIVATIONS, ALL_DTYPES, ALL_LOSSES, ALL_OPTIMIZERS, type BackendSupport } from "./support.ts";

const spec = (overrides: Partial<ModelSpec> = {}): ModelSpec => ({
  inputs: 4,
  layers: mlpLayers(4, [3], 2, "relu", "identity"),
  loss: { type: "cross_entropy", reduction: "mean" },
  dtype: "float32",
  ...overrides,
});
const sgd: OptimizerSpec = { type: "sgd", momentum: 0.9, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0 };
const everything: BackendSupport = { dtypes: ALL_DTYPES, activations: ALL_ACTIVATIONS, losses: ALL_LOSSES, optimizers: ALL_OPTIMIZERS, engines: [] };

describe("specIssues", () => {
  it("accepts a consistent spec", () => {
    expect(specIssues(spec(), sgd)).toEqual([]);
  });

  it("names config paths: a hidden width, the binary loss's output, every coefficient by its config key", () => {
    const broken = spec({ layers: [{ inputs: 4, outputs: 3, activation: "relu" }, { inputs: 5, outputs: 2, activation: "identity" }], loss: { type: "bce", reduction: "mean", scale: -1 } });
    expect(specIssues(broken, { ...sgd, type: "adamw", weightDecay: -1, beta1: 1, beta2: Number.NaN, epsilon: 0 }).map((i) => i.path)).toEqual([
      "model",
      "loss.scale",
      "loss.type",
      "optimizer.weight_decay",
      "optimizer.beta1",
      "optimizer.beta2",
      "optimizer.epsilon",
    ]);
    expect(specIssues(spec({ layers: mlpLayers(4, [0], 2, "relu", "identity") }), sgd)[0]).toEqual({ path: "model.hidden.0", message: "expected a positive integer width, got 0" });
  });

  it("checks momentum only for the momentum optimizer", () => {
    expect(specIssues(spec(), { ...sgd, momentum: 1 })).toEqual([]);
    expect(specIssues(spec(), { ...sgd, type: "momentum", momentum: 1 })).toEqual([
      { path: "optimizer.momentum", message: "expected a number in [0, 1) for optimizer momentum, got 1" },
    ]);
  });
});

describe("supportIssues", () => {
  const float32Only: BackendSupport = { ...everything, dtypes: ["float32"], activations: ["relu", "identity"], optimizers: ["sgd"] };

  it("names what a backend does not declare, once per config path", () => {
    const tanh = spec({ dtype: "float64", layers: mlpLayers(4, [3, 3], 2, "tanh", "identity") });
    expect(supportIssues("tiny", float32Only, tanh, { ...sgd, type: "adam" })).toEqual([
      { path: "dtype", message: "backend tiny does not support dtype float64 (supported: float32)" },
      { path: "model.activation", message: "backend tiny does not support activation tanh (supported: relu, identity)" },
      { path: "optimizer.type", message: "backend tiny does not support optimizer adam (supported: sgd)" },
    ]);
  });
});

describe("checkSpec", () => {
  it("throws one SpecError with every issue, its path the first's", () => {
    const check = () => checkSpec(spec({ dtype: "float64" }), { ...sgd, weightDecay: -1 }, [{ name: "tiny", supports: { ...everything, dtypes: ["float32"] } }]);
    expect(check).toThrow(SpecError);
    try {
      check();
    } catch (error) {
      expect((error as SpecError).path).toBe("optimizer.weight_decay");
      expect((error as SpecError).issues.map((i) => i.path)).toEqual(["optimizer.weight_decay", "dtype"]);
      expect((error as SpecError).exitCode).toBe(2);
    }
  });
});
