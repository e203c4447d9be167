import { createRequire } from "node:module";
import path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { UserError } from "@crossprop/core";
import { supports } from "./supports.ts";
import { setTransposeFreeMatMul } from "./wasm-matmul.ts";

/** What the caller asks for (supports.engines); `auto` takes the fastest engine this machine can load. */
export type EngineChoice = (typeof supports.engines)[number];
/** What actually computes, as reported in `Model.engine`. */
export type EngineName = "tfjs-node" | "tfjs-wasm" | "tfjs-cpu";

/** The name each engine's backend registers under in tfjs. */
const TFJS_BACKEND_NAME: Record<EngineName, string> = {
  "tfjs-node": "tensorflow",
  "tfjs-wasm": "wasm",
  "tfjs-cpu": "cpu",
};

// Built at run time so neither TypeScript nor a bundler tries to resolve a package we never depend on.
const TFJS_NODE_PACKAGE = ["@tensorflow", "tfjs-node"].join("/");

export const TFJS_NODE_MISSING =
  "@tensorflow/tfjs-node is not installed (its install downloads libtensorflow, which needs internet); " +
  "install it where it can reach storage.googleapis.com, or use engine wasm";

/** One setup per engine per process: tfjs backends are process-wide singletons. */
const setups = new Map<EngineName, Promise<void>>();
let nodeLoad: Promise<string | null> | undefined;
let autoChoice: Promise<EngineName> | undefined;

/**
 * Resolves `choice`, initialises that engine once per process and makes it tfjs's active backend.
 * Throws UserError when an explicitly requested engine cannot be loaded.
 */
export async function useEngine(choice: EngineChoice): Promise<EngineName> {
  const engine = await resolveEngine(choice);
  await activateEngine(engine);
  return engine;
}

/** Makes `engine` tfjs's active backend (setting it up on first use); cheap when it already is. */
export async function activateEngine(engine: EngineName): Promise<void> {
  let setup = setups.get(engine);
  if (setup === undefined) {
    setup = setUp(engine);
    setups.set(engine, setup);
    // A failed setup may succeed later (e.g. after fixing an install): do not cache the failure.
    setup.catch(() => setups.delete(engine));
  }
  await setup;
  const backendName = TFJS_BACKEND_NAME[engine];
  if (tf.getBackend() !== backendName) await tf.setBackend(backendName);
}

/** The engines this process can run, fastest first. */
export async function availableEngines(): Promise<EngineName[]> {
  const engines: EngineName[] = [];
  if ((await tfjsNodeProblem()) === null) engines.push("tfjs-node");
  engines.push("tfjs-wasm", "tfjs-cpu");
  return engines;
}

async function resolveEngine(choice: EngineChoice): Promise<EngineName> {
  switch (choice) {
    case "node": {
      const problem = await tfjsNodeProblem();
      if (problem !== null) throw new UserError(problem);
      return "tfjs-node";
    }
    case "wasm":
      return "tfjs-wasm";
    case "cpu":
      return "tfjs-cpu";
    case "auto":
      autoChoice ??= pickAuto();
      return autoChoice;
    default:
      throw new UserError(`backend tfjs has no engine "${String(choice)}" (use ${supports.engines.join(", ")})`);
  }
}

async function pickAuto(): Promise<EngineName> {
  if ((await tfjsNodeProblem()) === null) return "tfjs-node";
  try {
    await activateEngine("tfjs-wasm");
    return "tfjs-wasm";
  } catch {
    return "tfjs-cpu";
  }
}

/** Null when @tensorflow/tfjs-node loads; otherwise what is wrong and how to fix it. */
function tfjsNodeProblem(): Promise<string | null> {
  nodeLoad ??= import(TFJS_NODE_PACKAGE).then(
    () => null,
    (error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      if (isMissingPackage(error, TFJS_NODE_PACKAGE)) return TFJS_NODE_MISSING;
      return `@tensorflow/tfjs-node is installed but failed to load (${message}); reinstall it, or use engine wasm`;
    },
  );
  return nodeLoad;
}

function isMissingPackage(error: unknown, name: string): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : "";
  return (code === "ERR_MODULE_NOT_FOUND" || code === "MODULE_NOT_FOUND") && message.includes(`'${name}'`);
}

async function setUp(engine: EngineName): Promise<void> {
  // tfjs prints "install our node backend" banners through its own logger; prod mode is its
  // supported switch for that logger, and keeps the CLI's output clean.
  tf.enableProdMode();
  if (engine === "tfjs-node") {
    const problem = await tfjsNodeProblem();
    if (problem !== null) throw new UserError(problem);
  } else if (engine === "tfjs-wasm") {
    // Importing registers the backend; done here so the cpu and node engines never load it.
    const wasm = await import("@tensorflow/tfjs-backend-wasm");
    wasm.setWasmPaths(wasmDistDirectory());
    setTransposeFreeMatMul(true);
  }
  const backendName = TFJS_BACKEND_NAME[engine];
  if (!(await tf.setBackend(backendName))) {
    throw new UserError(`backend tfjs could not initialise its ${engine} engine; use engine cpu`);
  }
  await tf.ready();
}

/** The .wasm binaries ship inside the npm package, beside its entry point: load them from disk. */
function wasmDistDirectory(): string {
  const require = createRequire(import.meta.url);
  return path.dirname(require.resolve("@tensorflow/tfjs-backend-wasm")) + path.sep;
}
