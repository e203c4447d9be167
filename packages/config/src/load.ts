import { dirname, isAbsolute, resolve } from "node:path";
import { Ajv, type SchemaObject } from "ajv";
import { stringify, visit } from "yaml";
import { runChecks, type CheckIssue, type FieldSources } from "./checks.ts";
import { readConfigText } from "./config-file.ts";
import type { SchemaNode } from "./describe.ts";
import { findNode, parseConfigDocument, positionOf, type ConfigDocument } from "./document.ts";
import { ConfigError, type ConfigIssue } from "./errors.ts";
import { defaultMemoryLimit, type MemoryLimit } from "./memory-check.ts";
import { applyOverride, parseOverride, type Override } from "./overrides.ts";
import { formatPath, isPrefix, parsePath, type ConfigPath } from "./path.ts";
import { dropFileSiblings, type Replacement } from "./replacements.ts";
import { configSchema, type Config } from "./schema/index.ts";
import { translateErrors } from "./translate.ts";

/** A validated config with every default filled, and where it came from. */
export interface LoadedConfig {
  config: Config;
  file: string;
  sets: string[];
  /** The full resolved config as YAML, fields in schema order: what config.resolved.yaml holds. */
  resolvedYaml: string;
  /** Fields of the file that a --set of their conflicting sibling replaced; the command prints each as a note. */
  replacements: Replacement[];
  /**
   * Where a field was written: file line:column, the --set that gave it, or just the file for a
   * default. Lets later stages (e.g. train_size larger than the data) raise a ConfigError that
   * points at the user's line: `new ConfigError([{ path, message, ...loaded.locate(path) }])`.
   */
  locate(path: string): Located;
}

// verbose: errors carry their schema node and data, which the plain-English messages need.
const ajv = new Ajv({ allErrors: true, useDefaults: true, strict: true, allowUnionTypes: true, verbose: true });
const validate = ajv.compile<Config>(configSchema as unknown as SchemaObject);

export interface LoadOptions {
  /** The memory one run may take; default 75% of this machine's; null = not checked (a sweep trial its plan checked). */
  memoryLimit?: MemoryLimit | null;
}

/** Reads, overrides, validates and checks a config file; throws ConfigError listing every issue. */
export function loadConfig(file: string, sets: readonly string[] = [], options: LoadOptions = {}): LoadedConfig {
  return parseConfig(readConfigText(file), file, sets, options);
}

/**
 * loadConfig on text already in memory; `file` names the origin in messages, and a relative
 * data.path is resolved against its directory (so run, check and sweep's workers agree).
 */
export function parseConfig(text: string, file: string, sets: readonly string[] = [], options: LoadOptions = {}): LoadedConfig {
  const { document, issues } = parseConfigDocument(text, file);
  const overrides: Override[] = [];
  for (const raw of sets) {
    const parsed = parseOverride(raw);
    if ("raw" in parsed) overrides.push(parsed);
    else issues.push(parsed);
  }
  const fail = (more: ConfigIssue[] = []) => new ConfigError(sortIssues([...issues, ...more], file, sets));
  if (document === undefined) throw fail();
  // An override that cannot be applied is reported, and the rest of the config still validated.
  const applied = overrides.filter((override) => {
    const issue = applyOverride(document, override);
    if (issue) issues.push(issue);
    return issue === undefined;
  });

  const locate = locator(document, applied, file);
  const context = { memoryLimit: options.memoryLimit === undefined ? defaultMemoryLimit() : options.memoryLimit };
  // A --set wins over the file's conflicting sibling: that field is dropped and the config validated
  // again, until no such conflict is left (each round deletes a file node, so this ends).
  const replacements: Replacement[] = [];
  let data: { value: Config };
  let conflicts: CheckIssue[];
  for (;;) {
    const expanded = aliasesExpanded(document, file);
    if ("issue" in expanded) throw fail([expanded.issue]);
    data = expanded;
    if (!validate(data.value)) {
      throw fail(
        translateErrors(validate.errors ?? [], data.value).map(({ path, at, on, ...rest }) => ({
          ...rest,
          path: formatPath(path),
          ...locate(path, at, on),
        })),
      );
    }
    conflicts = runChecks(data.value, fieldSources(document, applied), context);
    const dropped = dropFileSiblings(document, applied, conflicts, text, file);
    if (dropped.length === 0) break;
    replacements.push(...dropped);
  }
  const checked = conflicts.map(({ sibling: _sibling, ...issue }) => {
    const path = parsePath(issue.path) ?? [];
    return { ...issue, ...locate(path, path, "value") };
  });
  if (issues.length > 0 || checked.length > 0) throw fail(checked);

  const config = withDataPathResolved(data.value, file);
  return {
    config,
    file,
    sets: [...sets],
    resolvedYaml: resolvedYaml(config),
    replacements,
    locate: (path) => {
      const segments = parsePath(path) ?? [];
      return locate(segments, segments, "value");
    },
  };
}

export type Located = Pick<ConfigIssue, "origin" | "line" | "column">;

/**
 * The document as plain data. An alias expanded past the yaml library's guard (a "billion laughs"
 * file: aliases of aliases) is an issue at the first alias, not a thrown ReferenceError.
 */
function aliasesExpanded(document: ConfigDocument, file: string): { value: Config } | { issue: ConfigIssue } {
  try {
    return { value: document.doc.toJS() as Config };
  } catch (error) {
    if (!(error instanceof ReferenceError)) throw error;
    let offset = 0;
    visit(document.doc, {
      Alias(_key, node) {
        offset = node.range?.[0] ?? 0;
        return visit.BREAK;
      },
    });
    const { line, col } = document.lineCounter.linePos(offset);
    const message = `invalid YAML: aliases expand to too many nodes (${error.message.toLowerCase()}); write the values out instead`;
    return { issue: { path: "", origin: file, line, column: col, message } };
  }
}

/** A relative data.path names a directory beside the config file, wherever the command runs. */
function withDataPathResolved(config: Config, file: string): Config {
  const path = config.data.path;
  if (path === null || isAbsolute(path)) return config;
  return { ...config, data: { ...config.data, path: resolve(dirname(file), path) } };
}

/**
 * The same loaded config trained on another backend (`run --backend a,b`): the file is read and
 * validated once; config.resolved.yaml records the backend like any --set.
 */
export function withBackend(loaded: LoadedConfig, backend: Config["backend"], engine: string | null = null): LoadedConfig {
  const section = (loaded.config as Record<string, unknown>)[backend] as Record<string, unknown> | undefined;
  if (loaded.config.backend === backend && (engine === null || section?.["engine"] === engine)) return loaded;
  const config = { ...loaded.config, backend, ...(engine === null ? {} : { [backend]: { ...section, engine } }) } as Config;
  const sets = [...loaded.sets, `backend=${backend}`, ...(engine === null ? [] : [`${backend}.engine=${engine}`])];
  return { ...loaded, config, sets, resolvedYaml: resolvedYaml(config) };
}

/**
 * The overrides `--no-expect` adds: the pass/fail bounds emptied, so nothing is checked and
 * config.resolved.yaml says so. Overrides rather than an option, so a sweep's workers and merge
 * (which re-parse the config from its --set values) see the same config.
 */
export const NO_EXPECT_SETS = { run: ["expect={}"], sweep: ["expect={}", "sweep.expect_best={}"] } as const;

/** `run --no-expect`: the loaded config without its expect: bounds, recorded as the override that removed them. */
export function withoutExpectations(loaded: LoadedConfig): LoadedConfig {
  const config = { ...loaded.config, expect: {} } as Config;
  return { ...loaded, config, sets: [...loaded.sets, ...NO_EXPECT_SETS.run], resolvedYaml: resolvedYaml(config) };
}

function resolvedYaml(config: Config): string {
  return stringify(inSchemaOrder(config, configSchema));
}

/**
 * Where an issue points: the file's line:column when the node came from the file; otherwise the
 * last --set that wrote this path, an ancestor of it, or a descendant (a key it created).
 */
function locator(document: ConfigDocument, overrides: readonly Override[], file: string) {
  return (path: ConfigPath, at: ConfigPath, on: "key" | "value"): Located => {
    // A key `--set '~path'` removed (a required one, say) is that --set's issue, not the file's.
    const removal = overrides.findLast((o) => isPrefix(o.path, path));
    if (removal?.remove && findNode(document, path) === undefined) return { origin: removal.origin };
    const position = positionOf(document, at, on);
    if (position) return { origin: file, line: position.line, column: position.column };
    const override = overrides.findLast((o) => isPrefix(o.path, path) || isPrefix(path, o.path));
    return { origin: override?.origin ?? file };
  };
}

function fieldSources(document: ConfigDocument, overrides: readonly Override[]): FieldSources {
  const pathOf = (text: string) => parsePath(text) ?? [];
  return {
    written: (text) => findNode(document, pathOf(text)) !== undefined,
    where: (text) => {
      const path = pathOf(text);
      const position = positionOf(document, path, "value");
      if (position) return `line ${position.line}`;
      if (findNode(document, path) === undefined) return "default";
      return overrides.findLast((o) => o.remove === undefined && isPrefix(o.path, path))?.origin ?? "default";
    },
  };
}

/** File issues by line:column, then each --set's issues in the order the overrides were given. */
function sortIssues(issues: ConfigIssue[], file: string, sets: readonly string[]): ConfigIssue[] {
  const rank = (issue: ConfigIssue) => (issue.origin === file ? 0 : 1 + sets.findIndex((raw) => `--set ${raw}` === issue.origin));
  return issues
    .map((issue, index) => ({ issue, index }))
    .sort((a, b) =>
      rank(a.issue) - rank(b.issue) ||
      (a.issue.line ?? 0) - (b.issue.line ?? 0) ||
      (a.issue.column ?? 0) - (b.issue.column ?? 0) ||
      a.index - b.index,
    )
    .map(({ issue }) => issue);
}

/** A copy of `value` with mapping keys in the schema's order, so resolved files diff cleanly. */
function inSchemaOrder(value: unknown, node: SchemaNode): unknown {
  if (Array.isArray(value)) return value.map((item) => inSchemaOrder(item, node.items ?? {}));
  if (value === null || typeof value !== "object") return value;
  const record = value as Record<string, unknown>;
  const properties = node.properties ?? {};
  const keys = [...Object.keys(properties).filter((key) => key in record), ...Object.keys(record).filter((key) => !(key in properties))];
  return Object.fromEntries(keys.map((key) => [key, inSchemaOrder(record[key], properties[key] ?? {})]));
}
