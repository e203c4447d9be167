import { isMap, isNode, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node, type Pair } from "yaml";
import type { ConfigIssue } from "./errors.ts";
import type { ConfigPath } from "./path.ts";
import { formatValue } from "./describe.ts";
import { keyIssues, notTextIssue, syntaxIssues, unresolvedIssues, type YamlIssue } from "./yaml-issues.ts";

/** A parsed config file whose top level is a mapping, with a way back from nodes to line:column. */
export interface ConfigDocument {
  doc: Document;
  lineCounter: LineCounter;
}

export interface Position {
  line: number;
  column: number;
}

/**
 * Parses YAML text, keeping node offsets. Syntax errors, an empty file and a top level that is
 * not a mapping become issues (all syntax errors at once, each with its line:column).
 */
export function parseConfigDocument(text: string, origin: string): { document?: ConfigDocument; issues: ConfigIssue[] } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  const located = ({ offset, path, message }: YamlIssue): ConfigIssue => {
    const { line, col } = lineCounter.linePos(offset);
    return { path, line, column: col, origin, message };
  };
  // Binary junk parses as one long string; say what the file is instead of quoting it.
  const binary = notTextIssue(text);
  if (binary) return { issues: [located(binary)] };
  const issues = syntaxIssues(doc, (offset) => lineCounter.linePos(offset).line).map(located);
  if (issues.length > 0) return { issues };
  const unresolved = [...unresolvedIssues(doc, text), ...keyIssues(doc)].map(located);
  if (unresolved.length > 0) return { issues: unresolved };
  const contents = doc.contents;
  if (contents === null || (isScalar(contents) && contents.value === null)) {
    return { issues: [{ path: "", origin, message: "the file is empty; expected a mapping of config fields such as `name: my-run`" }] };
  }
  if (!isMap(contents)) {
    const found = isSeq(contents) ? "a list" : `the value ${formatValue(isScalar(contents) ? contents.value : doc.toJS())}`;
    const { line, col } = lineCounter.linePos(contents.range?.[0] ?? 0);
    return { issues: [{ path: "", line, column: col, origin, message: `expected a mapping of config fields at the top level, got ${found}` }] };
  }
  return { document: { doc, lineCounter }, issues: [] };
}

/**
 * The pair holding `path` (undefined for the root) and the node at `path`, following mapping keys
 * and list indices; undefined if some step of the path is not in the document.
 */
export function findNode(document: ConfigDocument, path: ConfigPath): { pair?: Pair; node: Node | null } | undefined {
  let node: unknown = document.doc.contents;
  let pair: Pair | undefined;
  for (const segment of path) {
    if (isMap(node) && typeof segment === "string") {
      pair = node.items.find((item) => String(isScalar(item.key) ? item.key.value : item.key) === segment);
      if (pair === undefined) return undefined;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === "number") {
      if (segment >= node.items.length) return undefined;
      pair = undefined;
      node = node.items[segment];
    } else {
      return undefined;
    }
  }
  return { ...(pair === undefined ? {} : { pair }), node: isNode(node) ? node : null };
}

/**
 * Where the key or the value at `path` was written in the file; undefined if it is not in the
 * document or was created by a --set override (such nodes carry no source range).
 */
export function positionOf(document: ConfigDocument, path: ConfigPath, on: "key" | "value"): Position | undefined {
  const found = findNode(document, path);
  if (found === undefined) return undefined;
  const target = on === "key" && found.pair !== undefined ? found.pair.key : found.node;
  const offset = isNode(target) ? target.range?.[0] : undefined;
  if (offset === undefined) return undefined;
  const { line, col } = document.lineCounter.linePos(offset);
  return { line, column: col };
}
