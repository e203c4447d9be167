import { statSync } from "node:fs";
import { basename, resolve } from "node:path";
import { ALL_ACTIVATIONS, ALL_DTYPES, ALL_LOSSES, ALL_OPTIMIZERS, fileKind, UserError, type Backend, type BackendSupport } from "@crossprop/core";
import { guardModel, privateParams, userFrame, UserCodeError } from "./user-model.ts";
import { importUserModule } from "./user-module.ts";

/** A --backend value naming a file rather than a registered backend: it has a path separator or a script extension. */
export function isBackendFile(label: string): boolean {
  return label.includes("/") || /\.(?:[cm]?[jt]s)$/.test(label);
}

/**
 * Loads the Backend a user's module exports (`export default` or `export const backend`), checks it
 * has the contract's shape, and guards it: whatever its code throws or returns wrong becomes one
 * line naming the file and line (UserCodeError, exit 2), never a crash of crossprop's. TypeScript
 * loads as the CLI loads its own sources (tsx). `label` is the path as the user spelled it.
 */
export async function loadUserBackend(label: string, cwd = process.cwd()): Promise<Backend> {
  const file = resolve(cwd, label);
  let stats;
  try {
    stats = statSync(file);
  } catch {
    throw new UserError(`backend file ${label}: no such file`);
  }
  if (!stats.isFile()) throw new UserError(`backend file ${label}: is ${fileKind(stats)}, not a module`);
  let module: Record<string, unknown>;
  try {
    // TypeScript loads as the CLI loads its own sources (tsx); an ES module is loaded as one wherever it lives.
    module = namespaceOf(await importUserModule(file));
  } catch (error) {
    throw new UserCodeError(`${label}${userFrame(error, file) ?? ""}: cannot load it: ${firstLine(error)}`);
  }
  const exported = module["default"] ?? module["backend"];
  if (exported === undefined) throw new UserCodeError(`${label}: exports no backend: write \`export default backend\` (or \`export const backend\`), an object with name, supports and createModel (see crossprop new-backend)`);
  const backend = checkBackendShape(exported, label);
  return {
    name: label,
    supports: backend.supports,
    async createModel(spec, initial, optimizer) {
      let model: unknown;
      try {
        model = await backend.createModel(structuredClone(spec), privateParams(initial), { ...optimizer });
      } catch (error) {
        throw new UserCodeError(`${label}${userFrame(error, file) ?? ""}: createModel threw: ${firstLine(error)}`);
      }
      return guardModel(model, spec, label, file);
    },
  };
}

/** A CommonJS-compiled module arrives wrapped: its exports are the namespace's `default`. */
function namespaceOf(module: Record<string, unknown>): Record<string, unknown> {
  const inner = module["default"];
  if (typeof inner !== "object" || inner === null || "createModel" in inner) return module;
  return "default" in inner || "backend" in inner ? (inner as Record<string, unknown>) : module;
}

/** The exported value as a Backend, or a UserCodeError naming the first thing missing or wrong. */
function checkBackendShape(value: unknown, label: string): Backend {
  if (typeof value !== "object" || value === null) throw new UserCodeError(`${label}: its backend export is ${describe(value)}, not an object with name, supports and createModel`);
  const backend = value as Partial<Backend>;
  if (typeof backend.createModel !== "function") throw new UserCodeError(`${label}: its backend has no createModel(spec, initial, optimizer) method`);
  const supports = backend.supports as Partial<Record<keyof BackendSupport, unknown>> | undefined;
  if (typeof supports !== "object" || supports === null) throw new UserCodeError(`${label}: its backend has no supports object (dtypes, activations, losses, optimizers, engines)`);
  const lists: [keyof BackendSupport, readonly string[] | null][] = [["dtypes", ALL_DTYPES], ["activations", ALL_ACTIVATIONS], ["losses", ALL_LOSSES], ["optimizers", ALL_OPTIMIZERS], ["engines", null]];
  for (const [key, allowed] of lists) {
    const list = supports[key] ?? (key === "engines" ? [] : undefined);
    if (!Array.isArray(list)) throw new UserCodeError(`${label}: supports.${key} is ${describe(list)}, not a list${allowed ? ` of ${allowed.join(", ")}` : ""}`);
    const unknown = list.find((item) => typeof item !== "string" || (allowed !== null && !allowed.includes(item)));
    if (unknown !== undefined) throw new UserCodeError(`${label}: supports.${key} lists ${JSON.stringify(unknown)}${allowed ? `; expected some of ${allowed.join(", ")}` : ""}`);
  }
  return { name: typeof backend.name === "string" && backend.name !== "" ? backend.name : basename(label), supports: { engines: [], ...supports } as BackendSupport, createModel: backend.createModel.bind(backend) };
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? `${error.name === "Error" ? "" : `${error.name}: `}${error.message}` : String(error);
  return text.split("\n")[0]!.trim();
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  return typeof value === "object" ? "an object" : typeof value === "function" ? "a function" : `${typeof value} ${JSON.stringify(value)}`;
}
