import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { BACKEND_NAMES, BACKEND_OPTION_SCHEMAS, backendEntry, DEFAULT_BACKEND, loadBackend, loadExampleBytes, parseParticipant, REGISTRY } from "./registry.ts";

const repo = fileURLToPath(new URL("../../../", import.meta.url));

describe("the backend registry", () => {
  it("lists every backend package of the tree (packages/backend-*)", () => {
    const packages = readdirSync(join(repo, "packages")).filter((dir) => dir.startsWith("backend-"));
    expect(BACKEND_NAMES.map((name) => backendEntry(name).packageName).sort()).toEqual(packages.map((dir) => `@crossprop/${dir}`).sort());
  });

  it("loads each backend under its own name, declaring the support its entry holds", async () => {
    for (const name of BACKEND_NAMES) {
      const backend = await loadBackend(name);
      expect(backend.name).toBe(name);
      expect(backend.supports).toBe(backendEntry(name).supports);
    }
  });

  it("gives tolerances for exactly the dtypes each backend supports", () => {
    for (const name of BACKEND_NAMES) {
      const entry = backendEntry(name);
      expect(Object.keys(entry.tolerances).sort()).toEqual([...entry.supports.dtypes].sort());
      expect(Object.keys(entry.finiteDifference).sort()).toEqual([...entry.supports.dtypes].sort());
    }
  });

  it("has a config section for exactly the backends with options, and the default backend first", () => {
    const withOptions = BACKEND_NAMES.filter((name) => REGISTRY[name].options !== null);
    expect(Object.keys(BACKEND_OPTION_SCHEMAS).sort()).toEqual(withOptions.sort());
    for (const name of withOptions) expect(BACKEND_OPTION_SCHEMAS[name as keyof typeof BACKEND_OPTION_SCHEMAS]).toBe(REGISTRY[name].options);
    expect(DEFAULT_BACKEND).toBe(BACKEND_NAMES[0]);
  });
});

/** Every non-test source file outside the backend packages (which name themselves). */
function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (entry === "node_modules" || entry.startsWith(".")) return [];
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(ts|mjs|js)$/.test(entry) && !/\.(test|fixture)\.ts$/.test(entry) ? [path] : [];
  });
}

describe("loadExampleBytes", () => {
  const participants = (...labels: string[]) => labels.map((label) => parseParticipant(label)!);

  it("gives memory to read the dataset into when an engine that reads it in place will run", async () => {
    const withKernels = Object.entries(REGISTRY).filter(([, entry]) => "exampleBytes" in entry).map(([name]) => name);
    expect(withKernels.sort()).toEqual(["autograd", "manual"]);
    for (const labels of [["manual"], ["autograd"], ["tfjs", "manual:wasm"]]) {
      const storage = await loadExampleBytes(participants(...labels), {});
      expect(storage, labels.join(", ")).not.toBeNull();
      expect(storage!.allocate(16)).toBeInstanceOf(Uint8Array);
      storage!.release();
    }
  });

  it("gives none when only engines that copy will run, reading the configured engine of a bare name", async () => {
    expect(await loadExampleBytes(participants("tfjs", "manual:typescript"), {})).toBeNull();
    expect(await loadExampleBytes(participants("manual"), { manual: { engine: "typescript" } })).toBeNull();
    expect(await loadExampleBytes([], {})).toBeNull();
  });
});

describe("backend names", () => {
  it("are spelled as string literals only in registry.ts (outside each backend's own package and the tests)", () => {
    const quoted = new RegExp(`["'](${BACKEND_NAMES.join("|")})["']`);
    const offenders = readdirSync(join(repo, "packages"))
      .filter((dir) => !dir.startsWith("backend-"))
      .flatMap((dir) => sourceFiles(join(repo, "packages", dir)))
      .filter((file) => !file.endsWith(join("backends", "src", "registry.ts")))
      .filter((file) => quoted.test(readFileSync(file, "utf8")))
      .map((file) => relative(repo, file));
    expect(offenders).toEqual([]);
  });
});
