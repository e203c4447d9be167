import { afterEach, describe, expect, it } from "vitest";
import { escapesAllowed, formatDuration, outputWidth, setNoColor, wrapLine } from "./terminal.ts";

afterEach(() => setNoColor(false));

describe("outputWidth", () => {
  it("a terminal's own width; elsewhere COLUMNS if a positive integer, else 80", () => {
    expect(outputWidth({ isTTY: true, columns: 132 }, { COLUMNS: "40" })).toBe(132);
    expect(outputWidth({ isTTY: false }, { COLUMNS: "200" })).toBe(200);
    expect(outputWidth({}, {})).toBe(80);
    for (const bad of ["", "0", "-3", "wide", "80.5"]) expect(outputWidth({}, { COLUMNS: bad })).toBe(80);
  });
});

describe("escapesAllowed", () => {
  it("only on a terminal, and not with NO_COLOR set to anything non-empty or --no-color", () => {
    expect(escapesAllowed({ isTTY: true }, {})).toBe(true);
    expect(escapesAllowed({ isTTY: false }, {})).toBe(false);
    expect(escapesAllowed({ isTTY: true }, { NO_COLOR: "1" })).toBe(false);
    expect(escapesAllowed({ isTTY: true }, { NO_COLOR: "" })).toBe(true);
    expect(escapesAllowed({ isTTY: true }, { FORCE_COLOR: "1" })).toBe(true);
    expect(escapesAllowed({ isTTY: false }, { FORCE_COLOR: "1" })).toBe(false);
    setNoColor(true);
    expect(escapesAllowed({ isTTY: true }, {})).toBe(false);
  });
});

describe("formatDuration and wrapLine", () => {
  it("seconds, minutes and hours; lines broken at spaces with an indent", () => {
    expect([5, 65, 3725, -1].map(formatDuration)).toEqual(["5s", "1m05s", "1h02m", "–"]);
    expect(wrapLine("checking manual:typescript, manual:wasm, tfjs for 5 steps…", 30)).toBe("checking manual:typescript,\n  manual:wasm, tfjs for 5\n  steps…");
  });
});
