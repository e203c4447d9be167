import { describe, expect, it } from "vitest";
import { formatPath, isPrefix, parsePath } from "./path.ts";

describe("config paths", () => {
  it("round-trips dotted paths with list indices", () => {
    expect(parsePath("model.hidden[1]")).toEqual(["model", "hidden", 1]);
    expect(formatPath(["model", "hidden", 1])).toBe("model.hidden[1]");
    expect(formatPath(["data", "classes", 0, "x"])).toBe("data.classes[0].x");
    expect(formatPath([])).toBe("");
  });

  it("rejects empty parts and stray brackets", () => {
    for (const text of ["", "a..b", ".a", "a.", "a[x]", "[0]", "a[1", "a b"]) expect(parsePath(text), text).toBeUndefined();
  });

  it("isPrefix compares whole segments", () => {
    expect(isPrefix(["training"], ["training", "epochs"])).toBe(true);
    expect(isPrefix(["training", "epochs"], ["training", "epochs"])).toBe(true);
    expect(isPrefix(["training", "epochs"], ["training"])).toBe(false);
    expect(isPrefix(["model", "hidden", 1], ["model", "hidden", 0])).toBe(false);
  });
});
