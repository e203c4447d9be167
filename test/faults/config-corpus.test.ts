import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { main } from "@crossprop/cli";
import { configSchema } from "@crossprop/config";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { crossprop } from "../cli/helpers.ts";
import { caseArgv, expectedStderr, loadCorpus, type CorpusCase } from "./corpus.ts";

// Every bad config and override in test/faults/corpus/ ends in exit 2 and exactly its expected
// lines: the key path, line:column and did-you-mean, no stack trace, nothing trained or written.
// The cases run in-process through `main`, the CLI's own entry (argv → exit code, messages on
// stderr), which keeps 300+ cases to seconds; a sample also runs through the spawned CLI.

const cases = loadCorpus();
const root = mkdtempSync(join(tmpdir(), "crossprop-corpus-"));
// The default run directory is runs/<name>/… under the working directory: it must stay empty.
const cwd = mkdtempSync(join(tmpdir(), "crossprop-corpus-cwd-"));
let previousCwd = "";
const warnings: string[] = [];
const onWarning = (warning: Error) => warnings.push(warning.message);

beforeAll(() => {
  previousCwd = process.cwd();
  process.chdir(cwd);
  process.on("warning", onWarning);
});

afterAll(() => {
  process.off("warning", onWarning);
  process.chdir(previousCwd);
  rmSync(root, { recursive: true, force: true });
  rmSync(cwd, { recursive: true, force: true });
});

/** A fresh directory holding only the case's config.yaml; its outputs are pointed inside it. */
function materialize(testCase: CorpusCase): { dir: string; config: string; out: string } {
  const dir = mkdtempSync(join(root, "case-"));
  const config = join(dir, "config.yaml");
  writeFileSync(config, testCase.config);
  return { dir, config, out: join(dir, "out") };
}

/** `main(argv)` with stdout and stderr captured; process.exitCode restored, as the CLI's caller would. */
async function runInProcess(argv: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const writes = { out: process.stdout.write, err: process.stderr.write };
  process.stdout.write = ((chunk: string | Uint8Array) => ((stdout += String(chunk)), true)) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array) => ((stderr += String(chunk)), true)) as typeof process.stderr.write;
  try {
    const status = await main(argv);
    return { status, stdout, stderr };
  } finally {
    process.stdout.write = writes.out;
    process.stderr.write = writes.err;
    process.exitCode = undefined;
  }
}

function expectClean(testCase: CorpusCase, result: { status: number | null; stdout: string; stderr: string }, dir: string, config: string) {
  expect(result.stderr).not.toMatch(/\n\s+at |internal error/);
  expect(result.stderr).toBe(expectedStderr(testCase, config, dir));
  expect(result.status).toBe(testCase.exitCode);
  // Nothing trained (no results table) and nothing written: no run, sweep or report directory.
  expect(result.stdout).toBe("");
  expect(readdirSync(dir)).toEqual(["config.yaml"]);
}

describe("the corpus of bad configs and overrides", () => {
  it("holds at least 150 cases with unique names", () => {
    expect(cases.length).toBeGreaterThanOrEqual(150);
    const names = cases.map((c) => c.name);
    expect(names.filter((name, i) => names.indexOf(name) !== i)).toEqual([]);
  });

  it("has a case naming every field of the schema", () => {
    const expected = cases.flatMap((c) => c.errors).join("\n");
    const missing = schemaFields(configSchema as unknown as SchemaNode, "").filter(({ pattern }) => !pattern.test(expected));
    expect(missing.map((field) => field.path)).toEqual([]);
  });
});

const families = [...new Set(cases.map((c) => c.family))];
for (const family of families) {
  describe(`${family} (in-process)`, () => {
    for (const testCase of cases) {
      if (testCase.family !== family) continue;
      it(testCase.name, async () => {
        const { dir, config, out } = materialize(testCase);
        const result = await runInProcess(caseArgv(testCase, config, out));
        expectClean(testCase, result, dir, config);
      });
    }
  });
}

describe("no case leaves anything behind or warns", () => {
  it("the working directory is still empty and Node printed no warning", () => {
    expect(readdirSync(cwd)).toEqual([]);
    expect(warnings).toEqual([]);
  });
});

describe("a sample through the spawned CLI", () => {
  const sample = cases.filter((c) => c.spawn);
  it("is at least 10 cases from at least 6 families", () => {
    expect(sample.length).toBeGreaterThanOrEqual(10);
    expect(new Set(sample.map((c) => c.family)).size).toBeGreaterThanOrEqual(6);
  });
  for (const testCase of sample) {
    it(`${testCase.family}: ${testCase.name}`, () => {
      const { dir, config, out } = materialize(testCase);
      const started = Date.now();
      const result = crossprop(caseArgv(testCase, config, out), cwd);
      expectClean(testCase, result, dir, config);
      // Refused before any data or backend loads: seconds, not a training run.
      expect(Date.now() - started).toBeLessThan(20_000);
    });
  }
});

interface SchemaNode {
  properties?: Record<string, SchemaNode>;
  additionalProperties?: boolean | SchemaNode;
}

/**
 * Every leaf field as a pattern matching a message about it (`: model.hidden[1]: …`). A mapping of
 * user-named entries (sweep.grid, expect.parameters) matches with any entry name in its place.
 */
function schemaFields(node: SchemaNode, path: string): { path: string; pattern: RegExp }[] {
  const escaped = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  if (node.properties) {
    return Object.entries(node.properties).flatMap(([key, child]) => schemaFields(child, path === "" ? key : `${path}.${key}`));
  }
  const entries = typeof node.additionalProperties === "object" ? node.additionalProperties : undefined;
  if (entries?.properties) return schemaFields(entries, `${path}.*`);
  const source = escaped(path).replace(/\\\.\\\*/g, "\\.[^:\\s]+") + (entries ? "(\\.[^:\\s]+)?" : "");
  return [{ path, pattern: new RegExp(`(^|: )${source}(\\[\\d+\\])*: `, "m") }];
}
