import { isAlias, isMap, isScalar, isSeq, type Document, type YAMLError } from "yaml";
import { formatPath, type Segment } from "./path.ts";

/**
 * What the yaml library parses without complaint but a config cannot hold — bytes that are not
 * text, an alias with no anchor, an unknown tag, a key that is not a field name — and its own
 * errors in a config's words. Each issue is at a character offset of the text.
 */
export interface YamlIssue {
  offset: number;
  /** The key path it is about, when there is one (a duplicate key); "" otherwise. */
  path: string;
  message: string;
}

// Outside YAML's printable set: C0 controls except tab, LF and CR, DEL, and U+FFFD, which is what
// reading invalid UTF-8 as UTF-8 turns the bad bytes into.
const notText = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\uFFFD]/;

/** The first character no YAML text file holds (a binary, compressed or UTF-16 file), if any. */
export function notTextIssue(text: string): YamlIssue | undefined {
  const match = notText.exec(text);
  if (match === null) return undefined;
  const char = match[0];
  const what = char === "\uFFFD" ? "bytes that are not UTF-8" : `the control character U+${char.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}`;
  return { offset: match.index, path: "", message: `not a YAML text file: ${what} here (is it binary, compressed or saved as UTF-16?)` };
}

/**
 * The library's syntax errors. A tab used as indentation makes the parser misread the lines around
 * it too; those follow-on errors point away from the cause, so only the tabs are reported.
 */
export function syntaxIssues(doc: Document, lineAt: (offset: number) => number): YamlIssue[] {
  const tabs = doc.errors.filter((error) => error.code === "TAB_AS_INDENT");
  return (tabs.length > 0 ? tabs : doc.errors).map((error) => syntaxIssue(doc, error, lineAt));
}

/** One syntax error, in words that name the key or the fix where it can; `lineAt` maps an offset to its line. */
function syntaxIssue(doc: Document, error: YAMLError, lineAt: (offset: number) => number): YamlIssue {
  const offset = error.pos[0];
  if (error.code === "MULTIPLE_DOCS") {
    return { offset, path: "", message: "invalid YAML: a second document starts here; a config file holds one (remove the --- or ... line)" };
  }
  if (error.code === "DUPLICATE_KEY") {
    const duplicate = duplicateKeyAt(doc, offset);
    if (duplicate) return { offset, path: duplicate.path, message: `invalid YAML: duplicate key, first written at line ${lineAt(duplicate.firstOffset)}` };
  }
  return { offset, path: "", message: `invalid YAML: ${error.message}` };
}

/**
 * Aliases with no anchor before them and tags no schema resolves (`!weird 0.1` would otherwise be
 * the string "0.1"), from a document without syntax errors; `text` is its source.
 */
export function unresolvedIssues(doc: Document, text: string): YamlIssue[] {
  const issues: YamlIssue[] = doc.warnings
    .filter((warning) => warning.code === "TAG_RESOLVE_FAILED")
    .map((warning) => ({ offset: warning.pos[0], path: "", message: `invalid YAML: unknown tag ${text.slice(warning.pos[0], warning.pos[1])}; write the value without a tag` }));
  walk(doc.contents, [], (node) => {
    if (isAlias(node) && node.resolve(doc) === undefined) {
      issues.push({ offset: node.range?.[0] ?? 0, path: "", message: `invalid YAML: the alias *${node.source} has no anchor &${node.source} before it` });
    }
  });
  return issues.sort((a, b) => a.offset - b.offset);
}

/** Mapping keys that cannot name a field: a list or mapping used as a key, or a null key. */
export function keyIssues(doc: Document): YamlIssue[] {
  const issues: YamlIssue[] = [];
  walk(doc.contents, [], (node, path) => {
    if (!isMap(node)) return;
    for (const { key } of node.items) {
      const found = isMap(key) ? "a mapping" : isSeq(key) ? "a list" : isScalar(key) && key.value === null ? "null" : undefined;
      if (found === undefined) continue;
      const offset = (isMap(key) || isSeq(key) || isScalar(key) ? key.range?.[0] : undefined) ?? node.range?.[0] ?? 0;
      issues.push({ offset, path: formatPath(path), message: `expected a field name as the key, got ${found}` });
    }
  });
  return issues;
}

/** Calls `visit` on every node under `node` (depth first, in document order) with its key path. */
function walk(node: unknown, path: Segment[], visit: (node: unknown, path: Segment[]) => void): void {
  visit(node, path);
  if (isMap(node)) {
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : "?";
      walk(pair.value, [...path, key], visit);
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, i) => walk(item, [...path, i], visit));
  }
}

/** The key written at `offset` that repeats an earlier key of its mapping, and where that one is. */
function duplicateKeyAt(doc: Document, offset: number): { path: string; firstOffset: number } | undefined {
  let found: { path: string; firstOffset: number } | undefined;
  walk(doc.contents, [], (node, path) => {
    if (found || !isMap(node)) return;
    const keys = node.items.map((pair) => (isScalar(pair.key) ? pair.key : undefined));
    const index = keys.findIndex((key) => key?.range?.[0] === offset);
    if (index < 0) return;
    const first = keys.findIndex((key) => key !== undefined && key.value === keys[index]!.value);
    if (first >= 0 && first < index) found = { path: formatPath([...path, String(keys[index]!.value)]), firstOffset: keys[first]!.range?.[0] ?? 0 };
  });
  return found;
}
