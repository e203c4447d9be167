import { describe, expect, it } from "vitest";
import { UserError, type OptimizerSpec, type OptimizerType } from "@crossprop/core";
import { Adam } from "./adam.ts";
import { Momentum } from "./momentum.ts";
import { createOptimizer } from "./optimizer.ts";
import { Sgd } from "./sgd.ts";

const spec = (type: OptimizerType): OptimizerSpec => ({ type, momentum: 0.9, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0 });

describe("createOptimizer", () => {
  it("builds each optimizer of the contract", () => {
    expect(createOptimizer(spec("sgd"), [3], "float32")).toBeInstanceOf(Sgd);
    expect(createOptimizer(spec("momentum"), [3], "float32")).toBeInstanceOf(Momentum);
    expect(createOptimizer(spec("adam"), [3], "float64")).toBeInstanceOf(Adam);
    expect(createOptimizer(spec("adamw"), [3], "float64")).toBeInstanceOf(Adam);
  });

  it("checks only the fields the type uses", () => {
    expect(createOptimizer({ ...spec("sgd"), momentum: 5, beta1: -1, epsilon: 0 }, [3], "float32")).toBeInstanceOf(Sgd);
  });

  const outOfRange: [OptimizerType, Partial<OptimizerSpec>, string][] = [
    ["sgd", { weightDecay: -0.1 }, "optimizer sgd: weightDecay must be ≥ 0, got -0.1"],
    ["momentum", { momentum: 1 }, "optimizer momentum: momentum must be in [0, 1), got 1"],
    ["adam", { beta2: Number.NaN }, "optimizer adam: beta2 must be in [0, 1), got NaN"],
    ["adamw", { epsilon: 0 }, "optimizer adamw: epsilon must be > 0, got 0"],
  ];
  for (const [type, change, message] of outOfRange) {
    it(`refuses ${message.split(": ")[1]} with a UserError`, () => {
      expect(() => createOptimizer({ ...spec(type), ...change }, [3], "float32")).toThrow(UserError);
      expect(() => createOptimizer({ ...spec(type), ...change }, [3], "float32")).toThrow(message);
    });
  }

  it("refuses an optimizer it does not know, with a UserError that names it", () => {
    expect(() => createOptimizer(spec("rmsprop" as OptimizerType), [3], "float32")).toThrow(UserError);
    expect(() => createOptimizer(spec("rmsprop" as OptimizerType), [3], "float32")).toThrow("backend manual does not support optimizer 'rmsprop'");
  });
});
