import type { ErrorObject } from "ajv";
import { describeExpected, formatValue, typesOf, type SchemaNode } from "./describe.ts";
import { formatPath, type Segment } from "./path.ts";
import { configSchema } from "./schema/index.ts";
import { didYouMean } from "./suggest.ts";

/** An ajv error in plain words, with where in the document it should point. */
export interface SchemaIssue {
  /** The field the issue is about. */
  path: Segment[];
  /** The node to point at: the field itself, or its parent mapping for a missing key. */
  at: Segment[];
  /** Point at the key (unknown keys) or at the value (everything else). */
  on: "key" | "value";
  message: string;
  suggestion?: string;
}

/** Keywords whose failure is fully explained by "expected <what the node allows>, got <value>". */
const valueKeywords = new Set([
  "type", "enum", "const", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum",
  "multipleOf", "pattern", "minItems", "maxItems", "anyOf", "oneOf",
]);

/**
 * Turns ajv's errors (compiled with `verbose: true`, so each carries its schema node and data)
 * into one sentence per problem. Errors inside a failed anyOf/oneOf are dropped in favour of the
 * anyOf's own error, and identical sentences are merged: `0.5` against "integer ≥ 1" fails both
 * `type` and `minimum` but is one problem.
 */
export function translateErrors(errors: readonly ErrorObject[], data: unknown, root: SchemaNode = configSchema as unknown as SchemaNode): SchemaIssue[] {
  const alternatives = errors.filter((e) => e.keyword === "anyOf" || e.keyword === "oneOf").map((e) => `${e.schemaPath}/`);
  const seen = new Set<string>();
  const issues: SchemaIssue[] = [];
  for (const error of errors) {
    if (alternatives.some((prefix) => error.schemaPath.startsWith(prefix))) continue;
    const issue = translateError(error, toPath(error.instancePath, data), root);
    const key = `${formatPath(issue.path)}\u0000${issue.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    issues.push(issue);
  }
  return issues;
}

function translateError(error: ErrorObject, path: Segment[], root: SchemaNode): SchemaIssue {
  const node = (error.parentSchema ?? {}) as SchemaNode;
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case "additionalProperties": {
      const key = String(params["additionalProperty"]);
      const known = Object.keys(node.properties ?? {});
      // A close sibling first; else the one field of that exact name elsewhere (`epochs` → training.epochs).
      const suggestion = didYouMean(key, known) ?? fieldElsewhere(root, key, path);
      const message = suggestion ? "unknown key" : `unknown key; expected one of ${known.join(", ")}`;
      return withSuggestion({ path: [...path, key], at: [...path, key], on: "key", message }, suggestion);
    }
    case "required": {
      const key = String(params["missingProperty"]);
      const expected = describeExpected(node.properties?.[key] ?? {});
      return { path: [...path, key], at: path, on: "value", message: `missing; expected ${expected}` };
    }
    case "uniqueItems": {
      // ajv reports the two indices of one duplicate pair; point at the later one.
      const first = Math.min(Number(params["i"]), Number(params["j"]));
      const second = Math.max(Number(params["i"]), Number(params["j"]));
      const value = formatValue((error.data as unknown[])[second]);
      const message = `expected unique items, got ${value} again (first at ${formatPath([...path, first])})`;
      return { path: [...path, second], at: [...path, second], on: "value", message };
    }
    case "minProperties": {
      const keys = Object.keys(node.properties ?? {}).join(", ");
      return { path, at: path, on: "value", message: `expected at least one of ${keys}, got ${formatValue(error.data)}` };
    }
  }
  if (!valueKeywords.has(error.keyword)) return { path, at: path, on: "value", message: error.message ?? error.keyword };
  const message = `expected ${describeExpected(node)}, got ${formatValue(error.data)}${numberNote(error.data)}`;
  return withSuggestion({ path, at: path, on: "value", message }, valueSuggestion(node, error.data));
}

/**
 * The dotted path of the only section field named `key` outside `parent`, if exactly one exists.
 * Top-level fields are not offered: "did you mean "backend"?" under tfjs: would read as a rename.
 */
function fieldElsewhere(root: SchemaNode, key: string, parent: Segment[]): string | undefined {
  const found: string[] = [];
  const visit = (node: SchemaNode, path: string[]) => {
    for (const [name, child] of Object.entries(node.properties ?? {})) {
      if (name === key && path.length > 0 && formatPath(path) !== formatPath(parent)) found.push(formatPath([...path, name]));
      visit(child, [...path, name]);
    }
  };
  visit(root, []);
  return found.length === 1 ? found[0] : undefined;
}

/**
 * A close word for a string where a word was expected: one of the enum's values (also inside an
 * anyOf: batch_size "ful" → "full"), or true/false for YAML 1.1's yes/no/on/off, which YAML 1.2 reads as strings.
 */
function valueSuggestion(node: SchemaNode, value: unknown): string | undefined {
  if (typeof value !== "string") return undefined;
  const words = [...(node.enum ?? []), ...(node.anyOf ?? []).flatMap((branch) => branch.enum ?? [])].map(String);
  if (words.length > 0) return didYouMean(value, words);
  if (!typesOf(node).includes("boolean")) return undefined;
  if (/^(y|yes|on|true)$/i.test(value)) return "true";
  return /^(n|no|off|false)$/i.test(value) ? "false" : undefined;
}

/**
 * Why a number that looks right is not: YAML's .inf and .nan are floats, and an integer past 2^53
 * was already rounded when read (9007199254740993 reads as …992), so the message says so.
 */
function numberNote(value: unknown): string {
  if (typeof value !== "number") return "";
  if (!Number.isFinite(value)) return ", which is not a finite number";
  return Number.isInteger(value) && !Number.isSafeInteger(value) ? " (as read: integers past 2^53 are rounded)" : "";
}

function withSuggestion(issue: SchemaIssue, suggestion: string | undefined): SchemaIssue {
  return suggestion === undefined ? issue : { ...issue, suggestion };
}

/** "/data/classes/1" → ["data", "classes", 1]; indices become numbers where the data is a list. */
function toPath(pointer: string, data: unknown): Segment[] {
  const path: Segment[] = [];
  let node = data;
  for (const raw of pointer.split("/").slice(1)) {
    const key = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    const segment: Segment = Array.isArray(node) ? Number(key) : key;
    path.push(segment);
    node = node !== null && typeof node === "object" ? (node as Record<Segment, unknown>)[segment] : undefined;
  }
  return path;
}
