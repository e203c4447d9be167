import { parse } from "yaml";
import { escapeHtml as e } from "./escape.ts";

/** A leaf of two configs that differs: its key path (as `--set` spells it) and both values, `undefined` where absent. */
export interface ConfigDifference {
  path: string;
  a: unknown;
  b: unknown;
}

/**
 * The leaves in which two config.resolved.yaml texts differ, in the first one's key order (keys
 * only the second has come after). A list of scalars (model.hidden) is one leaf; a list of
 * objects is compared item by item (`path[i]`). Values are compared as parsed, so 0.1 and 1.0e-1 are equal.
 */
export function configDifferences(yamlA: string, yamlB: string): ConfigDifference[] {
  const differences: ConfigDifference[] = [];
  compare(parse(yamlA) as unknown, parse(yamlB) as unknown, "", differences);
  return differences;
}

function compare(a: unknown, b: unknown, path: string, out: ConfigDifference[]): void {
  if (isObject(a) && isObject(b)) {
    const keys = [...Object.keys(a), ...Object.keys(b).filter((key) => !(key in a))];
    for (const key of keys) compare(a[key], b[key], path === "" ? key : `${path}.${key}`, out);
    return;
  }
  if (Array.isArray(a) && Array.isArray(b) && [...a, ...b].some((item) => isObject(item) || Array.isArray(item))) {
    for (let i = 0; i < Math.max(a.length, b.length); i++) compare(a[i], b[i], `${path}[${i}]`, out);
    return;
  }
  if (!sameLeaf(a, b)) out.push({ path, a, b });
}

function sameLeaf(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * The differences as list items (`<li><code>path</code>: a → b</li>`, each prefixed by `label` when given),
 * or a sentence when a file is not YAML: the rest of the page is still built.
 */
export function configDifferencesHtml(a: string, b: string, label = ""): { items: string[] } | { reason: string } {
  let differences: ConfigDifference[];
  try {
    differences = configDifferences(a, b);
  } catch (error) {
    return { reason: `a config.resolved.yaml is not YAML: ${(error as Error).message.split("\n")[0]}` };
  }
  const prefix = label === "" ? "" : `${e(label)}: `;
  return { items: differences.map((d) => `<li>${prefix}<code>${e(d.path)}</code>: ${e(leafText(d.a))} → ${e(leafText(d.b))}</li>`) };
}

/** A leaf as the YAML would show it: strings bare, lists in brackets, an absent key as "(absent)". */
export function leafText(value: unknown): string {
  if (value === undefined) return "(absent)";
  if (typeof value === "string") return value;
  if (Array.isArray(value)) return `[${value.map(leafText).join(", ")}]`;
  return JSON.stringify(value);
}
