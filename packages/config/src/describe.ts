/**
 * Plain-English renderings of schema nodes and values, shared by error messages and the README
 * table so both say "an integer ≥ 1" the same way.
 */

/** The parts of a JSON Schema node this project uses. */
export interface SchemaNode {
  type?: string | readonly string[];
  enum?: readonly unknown[];
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  pattern?: string;
  items?: SchemaNode;
  minItems?: number;
  uniqueItems?: boolean;
  properties?: Readonly<Record<string, SchemaNode>>;
  required?: readonly string[];
  minProperties?: number;
  additionalProperties?: boolean | SchemaNode;
  anyOf?: readonly SchemaNode[];
  default?: unknown;
  description?: string;
}

export function typesOf(node: SchemaNode): readonly string[] {
  if (node.type === undefined) return [];
  return typeof node.type === "string" ? [node.type] : node.type;
}

/** "≥ 1", "> 0 and < 1", "from 0 to 9"; "" when unbounded. */
export function describeBounds(node: SchemaNode): string {
  if (node.minimum !== undefined && node.maximum !== undefined) return `from ${node.minimum} to ${node.maximum}`;
  const parts: string[] = [];
  if (node.minimum !== undefined) parts.push(`≥ ${node.minimum}`);
  if (node.exclusiveMinimum !== undefined) parts.push(`> ${node.exclusiveMinimum}`);
  if (node.maximum !== undefined) parts.push(`≤ ${node.maximum}`);
  if (node.exclusiveMaximum !== undefined) parts.push(`< ${node.exclusiveMaximum}`);
  return parts.join(" and ");
}

/** What a value must be, as the object of "expected …": "an integer ≥ 1 or null". */
export function describeExpected(node: SchemaNode): string {
  if (node.anyOf) return node.anyOf.map(describeExpected).join(" or ");
  if (node.enum) return node.enum.length === 1 ? JSON.stringify(node.enum[0]) : `one of ${node.enum.join(", ")}`;
  const types = typesOf(node);
  const main = types.filter((type) => type !== "null").map((type) => describeType(type, node));
  if (!types.includes("null")) return main.join(" or ");
  // "a list of … from 0 to 9, or null": the comma keeps "or null" from reading as part of the items.
  return types.includes("array") ? `${main.join(" or ")}, or null` : [...main, "null"].join(" or ");
}

function describeType(type: string, node: SchemaNode): string {
  const bounds = describeBounds(node);
  const bounded = (noun: string) => (bounds === "" ? noun : `${noun} ${bounds}`);
  switch (type) {
    case "integer":
      return bounded("an integer");
    case "number":
      return bounded("a number");
    case "string":
      return node.pattern === undefined ? "a string" : `a string matching ${node.pattern}`;
    case "boolean":
      return "true or false";
    case "object":
      return "a mapping";
    case "array":
      return `a ${node.minItems === 1 ? "non-empty " : ""}list of ${describeItems(node)}`;
    default:
      return type;
  }
}

/** "at least 2 unique integers from 0 to 9"; at least 1 is said by "a non-empty list". */
function describeItems(node: SchemaNode): string {
  const count = node.minItems && node.minItems > 1 ? `at least ${node.minItems} ` : "";
  const unique = node.uniqueItems ? "unique " : "";
  const items = node.items ?? {};
  const nouns: Record<string, string> = { integer: "integers", number: "numbers", string: "strings" };
  const noun = nouns[typesOf(items)[0] ?? ""] ?? "items";
  const bounds = describeBounds(items);
  return `${count}${unique}${noun}${bounds === "" ? "" : ` ${bounds}`}`;
}

/** A value as the user would have written it: "relu6" quoted, .nan for NaN, short lists inline. */
export function formatValue(value: unknown): string {
  // A long string (a pasted file, a binary blob) is cut so the message stays one readable line.
  if (typeof value === "string") return value.length <= 60 ? JSON.stringify(value) : `${JSON.stringify(value.slice(0, 40))}… (${value.length} characters)`;
  if (typeof value === "number") {
    if (Number.isNaN(value)) return ".nan";
    if (!Number.isFinite(value)) return value > 0 ? ".inf" : "-.inf";
    return String(value);
  }
  if (Array.isArray(value)) {
    const inline = `[${value.map(formatValue).join(", ")}]`;
    return inline.length <= 40 ? inline : `a list of ${value.length} items`;
  }
  if (value !== null && typeof value === "object") return Object.keys(value).length === 0 ? "{}" : "a mapping";
  return String(value);
}
