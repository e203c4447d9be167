import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { referenceEnd, referenceStart, renderConfigReference, replaceReferenceSection } from "./reference.ts";

const referenceUrl = new URL("../../../docs/config-reference.md", import.meta.url);
const referencePage = readFileSync(referenceUrl, "utf8");

describe("renderConfigReference", () => {
  const table = renderConfigReference();

  it("is a Markdown table with one row per field", () => {
    const lines = table.trimEnd().split("\n");
    expect(lines[0]).toBe("| Field | Type | Default | Allowed | Description |");
    expect(lines[1]).toBe("| --- | --- | --- | --- | --- |");
    expect(lines).toContain(
      "| `training.batch_size` | integer or string | `64` | ≥ 1, or `full` | Examples per gradient step, or full: the whole training set (full-batch gradient descent). |",
    );
    expect(lines).toContain(
      "| `model.activation` | string | `relu` | `relu`, `tanh`, `sigmoid`, `identity` | Activation of every hidden layer. |",
    );
    expect(lines.find((line) => line.startsWith("| `data.classes` |"))).toBe(
      "| `data.classes` | list of integers or null | `null` | at least 2 items; unique; each from 0 to 9 | Keep only these digits, relabelled by position in the list; null = all ten. |",
    );
    expect(lines.find((line) => line.startsWith("| `name` |"))).toContain("| required |");
    for (const line of lines) expect(line.split(/(?<!\\)\|/)).toHaveLength(7);
  });

  it("replaces only the text between the markers, and is idempotent", () => {
    const before = `# crossprop\n\nintro\n\n${referenceStart}\nstale\n${referenceEnd}\n\nmore\n`;
    const after = replaceReferenceSection(before, "| a |\n");
    expect(after).toBe(`# crossprop\n\nintro\n\n${referenceStart}\n\n| a |\n\n${referenceEnd}\n\nmore\n`);
    expect(replaceReferenceSection(after!, "| a |\n")).toBe(after);
    expect(replaceReferenceSection("no markers here")).toBeUndefined();
  });

  it("docs/config-reference.md holds exactly the generated table (run packages/config/scripts/write-reference.ts if this fails)", () => {
    expect(referencePage).toContain(referenceStart);
    expect(replaceReferenceSection(referencePage)).toBe(referencePage);
  });
});
