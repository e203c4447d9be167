import type { ErrorObject } from "ajv";
import { describeExpected, formatValue, type SchemaNode } from "./describe.ts";
import { formatPath, type Segment } from "./path.ts";
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
export function translateErrors(errors: readonly ErrorObject[], data: unknown): SchemaIssue[] {
  const alternatives = errors.filter((e) => e.keyword === "anyOf" || e.keyword === "oneOf").map((e) => `${e.schemaPath}/`);
  const seen = new Set<string>();
  const issues: SchemaIssue[] = [];
  for (const error of errors) {
    if (alternatives.some((prefix) => error.schemaPath.startsWith(prefix))) continue;
    const issue = translateError(error, toPath(error.instancePath, data));
    const key = `${formatPath(issue.path)}\u0000${issue.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    issues.push(issue);
  }
  return issues;
}

function translateError(error: ErrorObject, path: Segment[]): SchemaIssue {
  const node = (error.parentSchema ?? {}) as SchemaNode;
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case "additionalProperties": {
      const key = String(params["additionalProperty"]);
      const known = Object.keys(node.properties ?? {});
      const suggestion = didYouMean(key, known);
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
  const message = `expected ${describeExpected(node)}, got ${formatValue(error.data)}`;
  const suggestion =
    node.enum && typeof error.data === "string" ? didYouMean(error.data, node.enum.map(String)) : undefined;
  return withSuggestion({ path, at: path, on: "value", message }, suggestion);
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
