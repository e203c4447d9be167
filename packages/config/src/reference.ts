import { describeBounds, typesOf, type SchemaNode } from "./describe.ts";
import { configSchema } from "./schema/index.ts";

/** The section of docs/config-reference.md between these markers is generated; `scripts/write-reference.ts` rewrites it. */
export const referenceStart = "<!-- config-reference:start -->";
export const referenceEnd = "<!-- config-reference:end -->";

/** A Markdown table of every config field, generated from the schema so docs cannot drift. */
export function renderConfigReference(): string {
  const rows = ["| Field | Type | Default | Allowed | Description |", "| --- | --- | --- | --- | --- |"];
  addRows(configSchema, "", rows);
  return rows.join("\n") + "\n";
}

/** `readme` with the generated table between the markers; undefined if the markers are absent. */
export function replaceReferenceSection(readme: string, table = renderConfigReference()): string | undefined {
  const start = readme.indexOf(referenceStart);
  const end = readme.indexOf(referenceEnd, start);
  if (start < 0 || end < 0) return undefined;
  return `${readme.slice(0, start)}${referenceStart}\n\n${table}\n${readme.slice(end)}`;
}

function addRows(node: SchemaNode, prefix: string, rows: string[]): void {
  for (const [key, field] of Object.entries(node.properties ?? {})) {
    const path = prefix === "" ? key : `${prefix}.${key}`;
    const required = node.required?.includes(key) ?? false;
    const cells = [`\`${path}\``, typeText(field), defaultText(field, required), allowedText(field), field.description ?? ""];
    rows.push(`| ${cells.map((cell) => cell.replace(/\|/g, "\\|")).join(" | ")} |`);
    if (field.properties) addRows(field, path, rows);
  }
}

function typeText(field: SchemaNode): string {
  if (field.anyOf) return field.anyOf.map(typeText).join(" or ");
  return typesOf(field)
    .map((type) => {
      if (type === "object") return "mapping";
      if (type === "array") return `list of ${typesOf(field.items ?? {})[0] ?? "any"}s`;
      return type;
    })
    .join(" or ");
}

function defaultText(field: SchemaNode, required: boolean): string {
  if (required) return "required";
  if (field.default === undefined) return "—";
  return `\`${typeof field.default === "string" ? field.default : JSON.stringify(field.default)}\``;
}

function allowedText(field: SchemaNode): string {
  if (field.anyOf) return field.anyOf.map(allowedText).filter((text) => text !== "").join(", or ");
  if (field.enum) return field.enum.map((value) => `\`${String(value)}\``).join(", ");
  const parts: string[] = [];
  const bounds = describeBounds(field);
  if (bounds !== "") parts.push(bounds);
  if (field.pattern !== undefined) parts.push(`\`${field.pattern}\``);
  if (field.minItems !== undefined) parts.push(`at least ${field.minItems} items`);
  if (field.uniqueItems) parts.push("unique");
  const itemBounds = field.items ? describeBounds(field.items) : "";
  if (itemBounds !== "") parts.push(`each ${itemBounds}`);
  if (field.minProperties !== undefined) parts.push(`at least one of ${Object.keys(field.properties ?? {}).join(", ")}`);
  return parts.join("; ");
}
