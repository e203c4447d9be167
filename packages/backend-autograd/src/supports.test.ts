import { describe, expect, it } from "vitest";
import { autogradBackend } from "./index.ts";
import { supports } from "./supports.ts";

describe("supports", () => {
  it("is what autogradBackend declares", () => {
    expect(autogradBackend.supports).toBe(supports);
  });
});
