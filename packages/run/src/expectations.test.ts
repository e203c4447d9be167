import { describe, expect, it } from "vitest";
import type { Config } from "@crossprop/config";
import { checkExpectations } from "./expectations.ts";

const tensor = (name: string, values: number[]) => ({ name, shape: [values.length], data: Float32Array.from(values) });

describe("checkExpectations", () => {
  it("bounds metrics by min and max, and parameters by their largest difference", () => {
    const expectations = { valid_accuracy: { min: 0.9 }, parameters: { "layers.0.bias": { values: [5, 1], atol: 0.1 } } } as Config["expect"];
    expect(checkExpectations(expectations, { valid_accuracy: 0.95 }, [tensor("layers.0.bias", [5.05, 1])])).toEqual([
      { metric: "valid_accuracy", bound: "min", threshold: 0.9, value: 0.95, passed: true },
      { metric: "parameters.layers.0.bias", bound: "atol", threshold: 0.1, value: expect.closeTo(0.05, 6), passed: true },
    ]);
  });

  it("a missing parameter or one of another size fails with no value", () => {
    const expectations = { parameters: { nope: { values: [1], atol: 1 }, "layers.0.bias": { values: [1, 2, 3], atol: 1 } } } as Config["expect"];
    expect(checkExpectations(expectations, {}, [tensor("layers.0.bias", [1])]).map((r) => [r.value, r.passed])).toEqual([
      [null, false],
      [null, false],
    ]);
  });

  it("checks 40,000 parameter entries in linear time", () => {
    const names = Array.from({ length: 40_000 }, (_, i) => `p${i}`);
    const expectations = { parameters: Object.fromEntries(names.map((name) => [name, { values: [0], atol: 1 }])) } as Config["expect"];
    const started = Date.now();
    const results = checkExpectations(expectations, {}, names.map((name) => tensor(name, [0.5])));
    expect(results.every((r) => r.passed)).toBe(true);
    expect(Date.now() - started).toBeLessThan(1000); // a find per entry took 4 s here, 36 s on the machine
  });
});
