import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { cpus } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { crossprop, repoRoot, tempDir, writeConfig } from "./helpers.ts";

// ajv is the sweep package's dependency (merge validates results.json with it): borrowed from there.
type Validate = ((data: unknown) => boolean) & { errors?: unknown };
const { Ajv } = createRequire(join(repoRoot, "packages/sweep/package.json"))("ajv") as { Ajv: new (options: object) => { compile(schema: unknown): Validate } };
const schema = (path: string) => JSON.parse(readFileSync(join(repoRoot, path), "utf8"));
const validator = (path: string) => new Ajv({ allErrors: true, allowUnionTypes: true }).compile(schema(path));
const validProvenance = validator("packages/run/schema/provenance.schema.json");

const tiny = `name: made
data: { train_size: 100, test_size: 100 }
model: { hidden: [16] }
training: { epochs: 1 }
`;
const json = (path: string) => JSON.parse(readFileSync(path, "utf8"));
const iso = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** Every workspace package's name → version, as package.json files say. */
function workspaceVersions(): Record<string, string> {
  const versions: Record<string, string> = {};
  for (const dir of readdirSync(join(repoRoot, "packages"))) {
    try {
      const manifest = json(join(repoRoot, "packages", dir, "package.json"));
      versions[manifest.name] = manifest.version;
    } catch {
      // not a package
    }
  }
  return versions;
}

/** The repository's commit as git says it, or null where git or the checkout is missing. */
function headCommit(): string | null {
  const result = spawnSync("git", ["-C", repoRoot, "rev-parse", "HEAD"], { encoding: "utf8" });
  return result.status === 0 ? result.stdout.trim() : null;
}

describe("summary.json records how the run was made", () => {
  const cwd = tempDir();
  const config = writeConfig(tiny, cwd);
  const out = join(cwd, "run");
  const args = ["run", config, "--out", out, "--quiet", "--set", "optimizer.lr=0.2"];
  const before = new Date();
  const result = crossprop(args, cwd);
  const after = new Date();

  it("the command as typed, where, when, the commit, every version, the machine", () => {
    expect(result.status, result.stderr).toBe(0);
    const summary = json(join(out, "summary.json"));
    const made = summary.provenance;
    expect(validProvenance(made), JSON.stringify(validProvenance.errors)).toBe(true);
    expect(made.command).toEqual({ argv: args, cwd });
    expect(made.started_at).toMatch(iso);
    expect(made.finished_at).toMatch(iso);
    expect(before.getTime()).toBeLessThanOrEqual(Date.parse(made.started_at));
    expect(Date.parse(made.started_at)).toBeLessThanOrEqual(Date.parse(made.finished_at));
    expect(Date.parse(made.finished_at)).toBeLessThanOrEqual(after.getTime());
    expect(made.git.commit).toBe(headCommit());
    expect(typeof made.git.dirty === "boolean" || made.git.commit === null).toBe(true);
    expect(made.packages).toEqual(workspaceVersions());
    expect(made.node).toBe(process.versions.node);
    expect(made.cpu).toEqual({ model: cpus()[0]!.model.trim(), count: cpus().length });
    expect(made.threads).toBe(summary.threads);
    expect(made.tfjs).toBeNull();
  });

  it("a tfjs run names tfjs's version and the engine that computed", () => {
    const tfjsOut = join(cwd, "tfjs");
    const run = crossprop(["run", config, "--backend", "tfjs", "--out", tfjsOut, "--quiet"], cwd);
    expect(run.status, run.stderr).toBe(0);
    const summary = json(join(tfjsOut, "summary.json"));
    expect(summary.provenance.tfjs.engines).toEqual([summary.engine]);
    const tfjsVersion = json(join(repoRoot, "packages/backend-tfjs/node_modules/@tensorflow/tfjs/package.json")).version;
    expect(summary.provenance.tfjs.versions["@tensorflow/tfjs"]).toBe(tfjsVersion);
  });
});

describe("check --json and results.json record it too", () => {
  it("check --json: the report's provenance, the report valid against its schema", () => {
    const cwd = tempDir();
    const config = writeConfig(tiny, cwd);
    const file = join(cwd, "check.json");
    const args = ["check", config, "--backends", "manual:typescript,tfjs:cpu", "--reference", "manual:typescript", "--steps", "2", "--json", file, "--quiet"];
    const result = crossprop(args, cwd);
    expect(result.status, result.stderr).toBe(0);
    const report = json(file);
    const valid = validator("packages/check/schema/check-report.schema.json");
    expect(valid(report), JSON.stringify(valid.errors)).toBe(true);
    expect(report.provenance.command).toEqual({ argv: args, cwd });
    expect(report.provenance.tfjs.engines).toEqual(["tfjs-cpu"]);
    expect(report.provenance.git.commit).toBe(headCommit());
  });

  it("a sweep: results.json's run.provenance; each trial's summary its own (without the command); a rerun resumes, shards merge", () => {
    const cwd = tempDir();
    const config = writeConfig(`${tiny}sweep:\n  grid:\n    optimizer.lr: [0.1, 0.5]\n`, cwd);
    const dir = join(cwd, "sweep");
    const args = ["sweep", config, "--out", dir, "--workers", "2", "--quiet"];
    const first = crossprop(args, cwd);
    expect(first.status, first.stderr).toBe(0);
    const results = json(join(dir, "results.json"));
    const valid = validator("packages/sweep/schema/sweep-results.schema.json");
    expect(valid(results), JSON.stringify(valid.errors)).toBe(true);
    expect(results.run.provenance.command).toEqual({ argv: args, cwd });
    expect(results.run.provenance.threads).toBeNull();
    for (const trial of results.trials) {
      const made = json(join(dir, trial.run_dir, "summary.json")).provenance;
      expect(validProvenance(made), JSON.stringify(validProvenance.errors)).toBe(true);
      expect(made.command).toBeNull();
    }
    // Provenance differs between runs (times); the verification that resumes and merges ignores it.
    const again = crossprop(args, cwd);
    expect(again.status, again.stderr).toBe(0);
    expect(json(join(dir, "results.json")).trials.map((t: { timings: { resumed: boolean } }) => t.timings.resumed)).toEqual([true, true]);
    const shards = [1, 2].map((i) => join(cwd, `shard-${i}`));
    for (const [i, shard] of shards.entries()) {
      const ran = crossprop(["sweep", config, "--out", shard, "--shard", `${i + 1}/2`, "--quiet"], cwd);
      expect(ran.status, ran.stderr).toBe(0);
    }
    const merged = crossprop(["sweep", "merge", ...shards, "--out", join(cwd, "merged")], cwd);
    expect(merged.status, merged.stderr).toBe(0);
    const mergedResults = json(join(cwd, "merged", "results.json"));
    expect(mergedResults.run.provenance.command.argv).toEqual(["sweep", "merge", ...shards, "--out", join(cwd, "merged")]);
    expect(mergedResults.trials.map((t: { metrics: unknown }) => t.metrics)).toEqual(results.trials.map((t: { metrics: unknown }) => t.metrics));
  });
});
