import { isAlias, isMap, isNode, isScalar, isSeq, parseDocument } from "yaml";
import { describeExpected, formatValue, typesOf, type SchemaNode } from "./describe.ts";
import type { ConfigDocument } from "./document.ts";
import type { ConfigIssue } from "./errors.ts";
import { formatPath, parsePath, type Segment } from "./path.ts";
import { configSchema } from "./schema/index.ts";
import { didYouMean } from "./suggest.ts";
import { unresolvedIssues } from "./yaml-issues.ts";

/** One `--set path=value`, parsed; `value` is the YAML reading of the text after "=". */
export interface Override {
  raw: string;
  /** How issues caused by this override name their origin: "--set optimizer.lr=abc". */
  origin: string;
  path: Segment[];
  value: unknown;
  /**
   * `~path` (Hydra's delete grammar): remove the key from the config, so its default applies.
   * `~path=value` removes it only if it holds that value (`value` then holds it; else undefined).
   */
  remove?: { expected?: unknown };
}

const example = "e.g. --set optimizer.lr=0.5 or --set model.hidden=[128,64]";

/** Parses `optimizer.lr=0.5`; the value is YAML, so `[128,64]`, `null` and `true` mean what they do in a file. */
export function parseOverride(raw: string): Override | ConfigIssue {
  const origin = `--set ${raw}`;
  if (raw.startsWith("~")) return parseRemoval(raw, origin);
  const equals = raw.indexOf("=");
  if (equals < 0) return { path: "", origin, message: `expected path=value, ${example}; found no "="` };
  const pathText = raw.slice(0, equals).trim();
  if (pathText === "") return { path: "", origin, message: `expected a field path before "=", ${example}` };
  const path = parsePath(pathText);
  if (path === undefined) {
    return { path: "", origin, message: `expected a dotted path such as model.hidden[1], got ${JSON.stringify(pathText)}` };
  }
  const valueText = raw.slice(equals + 1);
  const valueDoc = parseDocument(valueText, { prettyErrors: false });
  const invalid = (why: string): ConfigIssue => ({ path: formatPath(path), origin, message: `the value is not valid YAML: ${why}` });
  const [syntaxError] = valueDoc.errors;
  if (syntaxError) return invalid(syntaxError.code === "MULTIPLE_DOCS" ? "it holds more than one document (a --- or ... line)" : syntaxError.message);
  const [unresolved] = unresolvedIssues(valueDoc, valueText);
  if (unresolved) return invalid(unresolved.message.replace(/^invalid YAML: /, ""));
  try {
    return { raw, origin, path, value: valueDoc.toJS() };
  } catch (error) {
    // The library's own guards, e.g. too many aliases expanding one value.
    return invalid(error instanceof Error ? error.message : String(error));
  }
}

/** `~training.epochs` or `~model.init.weights.std=1.0`: a key to remove, with the value it must hold. */
function parseRemoval(raw: string, origin: string): Override | ConfigIssue {
  const equals = raw.indexOf("=");
  const pathText = (equals < 0 ? raw.slice(1) : raw.slice(1, equals)).trim();
  const path = pathText === "" ? undefined : parsePath(pathText);
  if (path === undefined) return { path: "", origin, message: `expected a dotted path after "~", e.g. --set '~training.epochs', got ${JSON.stringify(pathText)}` };
  if (equals < 0) return { raw, origin, path, value: undefined, remove: {} };
  const value = parseOverride(`${pathText}=${raw.slice(equals + 1)}`);
  if (!("raw" in value)) return { ...value, origin };
  return { raw, origin, path, value: undefined, remove: { expected: value.value } };
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
  if (override.remove) return removeKey(document, override);
  const fail = (depth: number, message: string): ConfigIssue => ({ path: formatPath(path.slice(0, depth)), origin, message });
  // Below a key the document lacks, only mappings get created: an index there has no list to go
  // into. Refused before anything is written, so a failed override leaves no half-made node behind.
  const missing = firstMissingDepth(document, path);
  const index = missing < 0 ? -1 : path.findIndex((segment, i) => i > missing && typeof segment === "number");
  if (index >= 0) return missingListIssue(override, index);
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

/**
 * `--set '~path'`: deletes the key (or list item) from the document, so the schema's default
 * fills it. A key the config does not hold is an issue — with a did-you-mean among the keys
 * written beside it — and so is a value other than the one `~path=value` names.
 */
function removeKey(document: ConfigDocument, { path, origin, remove }: Override): ConfigIssue | undefined {
  let node: unknown = document.doc.contents;
  for (let depth = 0; depth < path.length; depth++) {
    const segment = path[depth]!;
    const here = formatPath(path.slice(0, depth + 1));
    if (isMap(node) && typeof segment === "string") {
      const keys = node.items.map((item) => String(isScalar(item.key) ? item.key.value : item.key));
      const index = keys.indexOf(segment);
      if (index < 0) {
        const suggestion = didYouMean(segment, keys);
        const message = "is not in the config, so there is nothing to remove";
        return { path: here, origin, message, ...(suggestion ? { suggestion } : {}) };
      }
      node = node.items[index]!.value;
    } else if (isSeq(node) && typeof segment === "number") {
      const length = node.items.length;
      if (segment >= length) return { path: formatPath(path.slice(0, depth)), origin, message: `has ${length} item${length === 1 ? "" : "s"}, so there is no [${segment}] to remove` };
      node = node.items[segment];
    } else {
      return { path: formatPath(path.slice(0, depth)), origin, message: `expected ${expectedContainer(segment)}, got ${describeNode(node)}` };
    }
  }
  if (remove && "expected" in remove) {
    const actual = isNode(node) ? node.toJS(document.doc) : null;
    if (sortedJson(actual) !== sortedJson(remove.expected)) {
      return { path: formatPath(path), origin, message: `is ${formatValue(actual)}, not ${formatValue(remove.expected)}, so it is not removed; --set '~${formatPath(path)}' removes it whatever its value` };
    }
  }
  document.doc.deleteIn(path);
  return undefined;
}

/** JSON with mapping keys sorted: `{type: normal, std: 1}` holds the same value as `{std: 1, type: normal}`. */
function sortedJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner !== null && typeof inner === "object" && !Array.isArray(inner) ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : inner,
  );
}

/**
 * Why `path[index]` of an override cannot be set when the document holds nothing above it: an
 * unknown key on the way (which the schema would otherwise never see), or no list to index.
 */
function missingListIssue({ path, origin, raw }: Override, index: number): ConfigIssue {
  let node = configSchema as unknown as SchemaNode;
  for (let depth = 0; depth < index; depth++) {
    const segment = path[depth]!;
    if (typeof segment === "number") {
      node = node.items ?? {};
      continue;
    }
    const known = Object.keys(node.properties ?? {});
    if (node.additionalProperties === false && !known.includes(segment)) {
      const suggestion = didYouMean(segment, known);
      const message = suggestion ? "unknown key" : `unknown key; expected one of ${known.join(", ")}`;
      return { path: formatPath(path.slice(0, depth + 1)), origin, message, ...(suggestion ? { suggestion } : {}) };
    }
    node = node.properties?.[segment] ?? (typeof node.additionalProperties === "object" ? node.additionalProperties : {});
  }
  const list = formatPath(path.slice(0, index));
  const at = `[${path[index]}]`;
  if (typesOf(node).includes("array")) {
    const example = index === path.length - 1 && path[index] === 0 ? `, e.g. --set ${list}=[${raw.slice(raw.indexOf("=") + 1)}]` : "";
    return { path: list, origin, message: `is not written in the config, so there is no ${at} to set; set the whole list instead${example}` };
  }
  if (typesOf(node).length > 0) return { path: list, origin, message: `expected a list to index with ${at}, but this field is ${describeExpected(node)}` };
  return { path: list, origin, message: `is not written in the config, so there is no ${at} to set; set the whole value instead` };
}

/** The depth of the first key on `path` the document does not hold (absent, or written as null); -1 if none. */
function firstMissingDepth(document: ConfigDocument, path: readonly Segment[]): number {
  let node: unknown = document.doc.contents;
  for (let depth = 0; depth < path.length; depth++) {
    const segment = path[depth]!;
    if (isMap(node) && typeof segment === "string") {
      const pair = node.items.find((item) => String(isScalar(item.key) ? item.key.value : item.key) === segment);
      if (pair === undefined || pair.value === null || (isScalar(pair.value) && pair.value.value === null)) return depth;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === "number" && segment < node.items.length) {
      node = node.items[segment];
    } else {
      return -1;
    }
  }
  return -1;
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
