import { describe, expect, it } from "vitest";
import { UserError, type OptimizerSpec } from "@crossprop/core";
import { createOptimizer } from "./optimizer.ts";
import { Sgd } from "./sgd.ts";

const spec = (type: OptimizerSpec["type"]): OptimizerSpec => ({ type, momentum: 0.9, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0 });

describe("Sgd", () => {
  it("steps p ← p - lr·g on every array, exactly as written (bit identity is the point)", () => {
    const weight = new Float64Array([1, -2, 0.3]);
    const bias = new Float32Array([0.1]);
    new Sgd().step([weight, bias], [new Float64Array([0.5, 0.25, -1]), new Float32Array([2])], 0.1);
    expect(Array.from(weight)).toEqual([1 - 0.1 * 0.5, -2 - 0.1 * 0.25, 0.3 - 0.1 * -1]);
    expect(bias[0]).toBe(Math.fround(Math.fround(0.1) - 0.1 * 2));
  });
});

describe("createOptimizer", () => {
  it("builds sgd and ignores the fields sgd does not use", () => {
    expect(createOptimizer(spec("sgd"))).toBeInstanceOf(Sgd);
  });

  for (const type of ["momentum", "adam", "adamw"] as const) {
    it(`refuses '${type}' with a UserError that names it`, () => {
      expect(() => createOptimizer(spec(type))).toThrow(UserError);
      expect(() => createOptimizer(spec(type))).toThrow(`backend manual does not support optimizer '${type}' yet`);
    });
  }
});
