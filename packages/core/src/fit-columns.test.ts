import { describe, expect, it } from "vitest";
import { displayWidth, fitColumns, tableOverhead, wrapText } from "./fit-columns.ts";

/** The width of the compact table the layout makes: content + `│ ` / ` │` around each column. */
const tableWidth = (widths: number[]) => widths.reduce((a, b) => a + b, 0) + tableOverhead(widths.length);

describe("displayWidth", () => {
  it("counts code points, emoji pictures as two, combining marks as none", () => {
    expect(displayWidth("valid_accuracy")).toBe(14);
    expect(displayWidth("✓ ✗ – … ÷")).toBe(9);
    expect(displayWidth("✅")).toBe(2);
    expect(displayWidth("e\u0301")).toBe(1);
    expect(displayWidth("学习")).toBe(4);
  });
});

describe("wrapText", () => {
  it("breaks after _ . , and spaces, and cuts a piece that is longer than the line", () => {
    expect(wrapText("valid_accuracy", 8)).toEqual(["valid_", "accuracy"]);
    expect(wrapText("optimizer.lr", 10)).toEqual(["optimizer.", "lr"]);
    expect(wrapText("[128, 64, 32]", 9)).toEqual(["[128, 64,", "32]"]);
    expect(wrapText("a1b2c3d4e5f6", 5)).toEqual(["a1b2c", "3d4e5", "f6"]);
    expect(wrapText("short", 10)).toEqual(["short"]);
  });
});

describe("fitColumns", () => {
  const head = ["rank", "id", "optimizer.lr", "status", "valid_accuracy", "valid_loss", "train_loss"];
  const rows = [["1", "a1b2c3d4e5f6", "0.1", "completed", "0.9123", "0.3012", "0.2811"]];

  it("leaves a table that fits as it is", () => {
    const fit = fitColumns(head, rows, 200);
    expect(fit.head).toEqual(head);
    expect(fit.omitted).toEqual([]);
    expect(fit.wrapped).toBe(false);
  });

  it("breaks headers before it leaves out columns, and optional columns before it wraps cells", () => {
    const broken = fitColumns(head, rows, 80, { optional: [0, 6] });
    expect(tableWidth(broken.widths)).toBeLessThanOrEqual(80);
    expect(broken.omitted).toEqual([]);
    expect(broken.head).toContain("valid_\naccuracy");
    const dropped = fitColumns(head, rows, 72, { optional: [0, 6] });
    expect(tableWidth(dropped.widths)).toBeLessThanOrEqual(72);
    expect(dropped.omitted).toEqual(["rank"]);
    expect(dropped.wrapped).toBe(false);
    expect(dropped.rows[0]).toEqual(["a1b2c3d4e5f6", "0.1", "completed", "0.9123", "0.3012", "0.2811"]);
  });

  it("wraps the widest cells when nothing else fits, never past the width while 4 columns each fit", () => {
    const fit = fitColumns(head, rows, 60);
    expect(tableWidth(fit.widths)).toBeLessThanOrEqual(60);
    expect(fit.wrapped).toBe(true);
    for (const [k, cell] of fit.rows[0]!.entries()) for (const line of cell.split("\n")) expect(displayWidth(line)).toBeLessThanOrEqual(fit.widths[k]!);
  });
});
