import { describe, expect, it } from "vitest";
import { manualBackend } from "./index.ts";
import { supports } from "./supports.ts";

describe("supports", () => {
  it("is what manualBackend declares", () => {
    expect(manualBackend.supports).toBe(supports);
  });
});
