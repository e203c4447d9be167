import { describe, expect, it } from "vitest";
import type { OptimizerSpec, OptimizerType } from "@crossprop/core";
import { Adam } from "./adam.ts";
import { createOptimizer } from "./create-optimizer.ts";
import { Momentum } from "./momentum.ts";
import { Sgd } from "./sgd.ts";

const spec = (type: OptimizerType): OptimizerSpec => ({ type, momentum: 0.9, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0 });

describe("createOptimizer", () => {
  it("builds each optimizer of the contract", () => {
    expect(createOptimizer(spec("sgd"), [3], "float32")).toBeInstanceOf(Sgd);
    expect(createOptimizer(spec("momentum"), [3], "float32")).toBeInstanceOf(Momentum);
    expect(createOptimizer(spec("adam"), [3], "float64")).toBeInstanceOf(Adam);
    expect(createOptimizer(spec("adamw"), [3], "float64")).toBeInstanceOf(Adam);
  });
});
