import { readFileSync } from "node:fs";
import { register } from "node:module";
import { pathToFileURL } from "node:url";

/**
 * A loader hook for one user module: a file outside any package that says "type": "module" is
 * CommonJS to Node, so a TypeScript or JavaScript file written with `import`/`export` would be
 * compiled to CommonJS by tsx — losing its line numbers (and tripping Node 20's require(esm) cycle
 * check). The hook has that file loaded as the ES module it is, so its stack frames name its lines.
 */
const HOOKS = `
let target;
export function initialize(data) { target = data.url; }
export async function load(url, context, next) {
  if (url !== target) return next(url, context);
  const result = await next(url, context);
  if (result.format !== "commonjs") return result;
  return { ...(await next(url, { ...context, format: "module" })), format: "module", shortCircuit: true };
}`;

const registered = new Set<string>();

/** Imports the user's module `file` (an absolute path); one written as an ES module loads as one. */
export async function importUserModule(file: string): Promise<Record<string, unknown>> {
  const url = pathToFileURL(file).href;
  if (!registered.has(url) && /^\s*(export|import)[\s{*]/m.test(readFileSync(file, "utf8"))) {
    registered.add(url);
    register(`data:text/javascript,${encodeURIComponent(HOOKS)}`, { data: { url } });
    process.setSourceMapsEnabled(true);
  }
  return (await import(url)) as Record<string, unknown>;
}
