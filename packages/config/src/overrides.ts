import { isAlias, isMap, isScalar, isSeq, parseDocument } from "yaml";
import { formatValue } from "./describe.ts";
import type { ConfigDocument } from "./document.ts";
import type { ConfigIssue } from "./errors.ts";
import { formatPath, parsePath, type Segment } from "./path.ts";

/** One `--set path=value`, parsed; `value` is the YAML reading of the text after "=". */
export interface Override {
  raw: string;
  /** How issues caused by this override name their origin: "--set optimizer.lr=abc". */
  origin: string;
  path: Segment[];
  value: unknown;
}

const example = "e.g. --set optimizer.lr=0.5 or --set model.hidden=[128,64]";

/** Parses `optimizer.lr=0.5`; the value is YAML, so `[128,64]`, `null` and `true` mean what they do in a file. */
export function parseOverride(raw: string): Override | ConfigIssue {
  const origin = `--set ${raw}`;
  const equals = raw.indexOf("=");
  if (equals < 0) return { path: "", origin, message: `expected path=value, ${example}; found no "="` };
  const pathText = raw.slice(0, equals).trim();
  if (pathText === "") return { path: "", origin, message: `expected a field path before "=", ${example}` };
  const path = parsePath(pathText);
  if (path === undefined) {
    return { path: "", origin, message: `expected a dotted path such as model.hidden[1], got ${JSON.stringify(pathText)}` };
  }
  const valueDoc = parseDocument(raw.slice(equals + 1), { prettyErrors: false });
  const [syntaxError] = valueDoc.errors;
  if (syntaxError) return { path: formatPath(path), origin, message: `the value is not valid YAML: ${syntaxError.message}` };
  return { raw, origin, path, value: valueDoc.toJS() };
}

/**
 * Writes the override into the document before validation, so the schema checks it like any
 * other value. Missing (or empty) mappings on the way are created; a scalar or a list in the way,
 * or an index past the end of a list, is an issue. New nodes carry no source range, which is how
 * later issues know they came from this override rather than from the file.
 */
export function applyOverride(document: ConfigDocument, override: Override): ConfigIssue | undefined {
  const { doc } = document;
  const { path, origin } = override;
  const fail = (depth: number, message: string): ConfigIssue => ({ path: formatPath(path.slice(0, depth)), origin, message });
  let node: unknown = doc.contents;
  for (let depth = 0; depth < path.length; depth++) {
    const segment = path[depth]!;
    const last = depth === path.length - 1;
    if (isMap(node) && typeof segment === "string") {
      let pair = node.items.find((item) => String(isScalar(item.key) ? item.key.value : item.key) === segment);
      if (last) {
        if (pair) pair.value = doc.createNode(override.value);
        else node.items.push(doc.createPair(segment, override.value));
        return undefined;
      }
      if (pair === undefined) {
        pair = doc.createPair(segment, {});
        node.items.push(pair);
      } else if (pair.value === null || (isScalar(pair.value) && pair.value.value === null)) {
        pair.value = doc.createNode({}); // `training:` with nothing under it reads as an empty mapping here
      }
      node = pair.value;
    } else if (isSeq(node) && typeof segment === "number") {
      const length = node.items.length;
      if (segment >= length) return fail(depth, `has ${length} item${length === 1 ? "" : "s"}, so there is no [${segment}]`);
      if (last) {
        node.items[segment] = doc.createNode(override.value);
        return undefined;
      }
      node = node.items[segment];
    } else {
      return fail(depth, `expected ${expectedContainer(segment)}, got ${describeNode(node)}`);
    }
  }
  return undefined;
}

function expectedContainer(segment: Segment): string {
  return typeof segment === "number" ? `a list to index with [${segment}]` : `a mapping to hold "${segment}"`;
}

function describeNode(node: unknown): string {
  if (isMap(node)) return "a mapping";
  if (isSeq(node)) return "a list";
  if (isScalar(node)) return formatValue(node.value);
  return isAlias(node) ? `the alias *${node.source}` : "nothing";
}
