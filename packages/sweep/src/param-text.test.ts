import { describe, expect, it } from "vitest";
import { parseOverride } from "@crossprop/config";
import { displayValue, overrideText } from "./param-text.ts";

describe("overrideText", () => {
  it("round-trips every kind of value through parseOverride, as a --set would", () => {
    const values = [0.05, 1e-30, 1e30, 256, "manual", "1.0", "a b: c", [], [128, 64], null, true, { type: "normal", std: 0.01 }];
    for (const value of values) {
      const parsed = parseOverride(overrideText({ path: "x.y", value }));
      expect(parsed, JSON.stringify(value)).toMatchObject({ path: ["x", "y"], value });
    }
  });

  it("writes one line: flow-style lists and mappings", () => {
    expect(overrideText({ path: "model.hidden", value: [128, 64] })).toBe("model.hidden=[ 128, 64 ]");
    expect(overrideText({ path: "optimizer.lr", value: 0.5 })).toBe("optimizer.lr=0.5");
  });
});

describe("displayValue", () => {
  it("shows strings bare and everything else as compact JSON", () => {
    expect(["manual", 0.05, [128, 64], [], null, Infinity].map(displayValue)).toEqual(["manual", "0.05", "[128,64]", "[]", "null", "Infinity"]);
  });
});
