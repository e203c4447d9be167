import { LineCounter, parseDocument } from "yaml";
import { describe, expect, it } from "vitest";
import { keyIssues, notTextIssue, syntaxIssues, unresolvedIssues } from "./yaml-issues.ts";

/** Parses `text` and returns a way to turn offsets into line:column, as the loader does. */
function parsed(text: string) {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  const at = (offset: number) => {
    const { line, col } = lineCounter.linePos(offset);
    return `${line}:${col}`;
  };
  return { doc, at, lineAt: (offset: number) => lineCounter.linePos(offset).line };
}

describe("bytes that are not text", () => {
  it("finds the first control character or undecodable byte", () => {
    expect(notTextIssue("name: t\n\u0000")).toEqual({ offset: 8, path: "", message: expect.stringContaining("the control character U+0000 here") });
    expect(notTextIssue("name: \uFFFD")?.message).toMatch(/^not a YAML text file: bytes that are not UTF-8 here/);
  });

  it("accepts tabs, CR, LF and a byte-order mark", () => {
    expect(notTextIssue("\uFEFFname: t\r\nseed:\t1\n")).toBeUndefined();
  });
});

describe("syntax errors in a config's words", () => {
  it("a duplicate key names its path and the line it was first written", () => {
    const { doc, at, lineAt } = parsed("name: t\ntraining:\n  epochs: 1\n  epochs: 2\n");
    const [issue] = syntaxIssues(doc, lineAt);
    expect([at(issue!.offset), issue!.path, issue!.message]).toEqual(["4:3", "training.epochs", "invalid YAML: duplicate key, first written at line 3"]);
  });

  it("a second document says how to remove it", () => {
    const { doc, at, lineAt } = parsed("name: t\n---\nname: u\n");
    expect(syntaxIssues(doc, lineAt).map((issue) => [at(issue.offset), issue.message])).toEqual([
      ["2:1", "invalid YAML: a second document starts here; a config file holds one (remove the --- or ... line)"],
    ]);
  });

  it("a tab used as indentation is reported alone, without the errors it causes", () => {
    const { doc, lineAt } = parsed("name: t\nmodel:\n  hidden:\n\t- 10\n");
    expect(doc.errors.length).toBeGreaterThan(1);
    expect(syntaxIssues(doc, lineAt).map((issue) => issue.message)).toEqual(["invalid YAML: Tabs are not allowed as indentation"]);
  });
});

describe("what parses but cannot be a config", () => {
  it("an alias with no anchor, and an unknown tag, each at its position", () => {
    const text = "name: t\ntraining: *nothing\noptimizer: { lr: !weird 0.1 }\n";
    const { doc, at } = parsed(text);
    expect(unresolvedIssues(doc, text).map((issue) => [at(issue.offset), issue.message])).toEqual([
      ["2:11", "invalid YAML: the alias *nothing has no anchor &nothing before it"],
      ["3:18", "invalid YAML: unknown tag !weird; write the value without a tag"],
    ]);
  });

  it("an alias with its anchor is fine", () => {
    const text = "name: &n t\nseed: *n\n";
    expect(unresolvedIssues(parsed(text).doc, text)).toEqual([]);
  });

  it("a list or null as a mapping key", () => {
    const { doc, at } = parsed("name: t\n? [a, b]\n: 1\nmodel:\n  ~: 2\n");
    expect(keyIssues(doc).map((issue) => [at(issue.offset), issue.path, issue.message])).toEqual([
      ["2:3", "", "expected a field name as the key, got a list"],
      ["5:3", "model", "expected a field name as the key, got null"],
    ]);
  });
});
