/** A path into a config: mapping keys are strings, list indices are numbers. */
export type Segment = string | number;
export type ConfigPath = readonly Segment[];

/** ["model", "hidden", 1] → "model.hidden[1]", the form every message uses. */
export function formatPath(path: ConfigPath): string {
  let text = "";
  for (const segment of path) {
    if (typeof segment === "number") text += `[${segment}]`;
    else text += text === "" ? segment : `.${segment}`;
  }
  return text;
}

/** "model.hidden[1]" → ["model", "hidden", 1]; undefined if malformed (empty part, stray bracket). */
export function parsePath(text: string): Segment[] | undefined {
  const path: Segment[] = [];
  for (const part of text.split(".")) {
    const match = /^([^[\]\s]+)((?:\[\d+\])*)$/.exec(part);
    if (!match) return undefined;
    path.push(match[1]!);
    for (const index of match[2]!.matchAll(/\[(\d+)\]/g)) path.push(Number(index[1]));
  }
  return path;
}

/** True if `prefix` is `path` or one of its ancestors. */
export function isPrefix(prefix: ConfigPath, path: ConfigPath): boolean {
  return prefix.length <= path.length && prefix.every((segment, i) => segment === path[i]);
}
