import { describe, expect, it } from "vitest";
import { describeExpected, formatValue } from "./describe.ts";

describe("describeExpected", () => {
  it("renders types with their bounds", () => {
    expect(describeExpected({ type: "integer", minimum: 1 })).toBe("an integer ≥ 1");
    expect(describeExpected({ type: "number", exclusiveMinimum: 0, exclusiveMaximum: 1 })).toBe("a number > 0 and < 1");
    expect(describeExpected({ type: "number", minimum: 0, exclusiveMaximum: 1 })).toBe("a number ≥ 0 and < 1");
    expect(describeExpected({ type: "integer", minimum: 0, maximum: 9 })).toBe("an integer from 0 to 9");
    expect(describeExpected({ type: "boolean" })).toBe("true or false");
    expect(describeExpected({ type: "object" })).toBe("a mapping");
  });

  it("renders enums, nullable types and lists", () => {
    expect(describeExpected({ type: "string", enum: ["mean", "sum"] })).toBe("one of mean, sum");
    expect(describeExpected({ type: "string", enum: ["mnist"] })).toBe('"mnist"');
    expect(describeExpected({ type: ["number", "null"], exclusiveMinimum: 0 })).toBe("a number > 0 or null");
    expect(describeExpected({ type: "array", items: { type: "integer", minimum: 1 } })).toBe("a list of integers ≥ 1");
    expect(describeExpected({ type: "array", items: { type: "number" }, minItems: 1 })).toBe("a non-empty list of numbers");
  });
});

describe("formatValue", () => {
  it("shows values as YAML would spell them", () => {
    expect(formatValue("relu6")).toBe('"relu6"');
    expect(formatValue(0)).toBe("0");
    expect(formatValue(Number.NaN)).toBe(".nan");
    expect(formatValue(-Infinity)).toBe("-.inf");
    expect(formatValue(null)).toBe("null");
    expect(formatValue([3, "a"])).toBe('[3, "a"]');
    expect(formatValue(Array.from({ length: 30 }, (_, i) => i))).toBe("a list of 30 items");
    expect(formatValue({})).toBe("{}");
    expect(formatValue({ min: 1 })).toBe("a mapping");
    expect(formatValue("x".repeat(100))).toBe(`"${"x".repeat(40)}"… (100 characters)`);
  });
});
