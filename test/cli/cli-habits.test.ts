import { existsSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { crossprop, repoRoot, tempDir, writeConfig } from "./helpers.ts";

// Real MNIST subsets, one epoch: each command takes about a second.
const tiny = `name: habits
data: { train_size: 100, test_size: 100 }
model: { hidden: [16] }
training: { epochs: 1 }
`;
const sweep = `${tiny}sweep:
  grid:
    optimizer.lr: [0.1, 0.5]
`;

const noStack = (stderr: string) => {
  expect(stderr).not.toMatch(/\n\s+at /);
  expect(stderr).not.toMatch(/internal error/);
};
const cliVersion = (JSON.parse(readFileSync(join(repoRoot, "packages/cli/package.json"), "utf8")) as { version: string }).version;

describe("crossprop with no command, and --version", () => {
  it("a bare crossprop prints the help on stderr and exits 2", () => {
    const result = crossprop([]);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(/^Usage: crossprop \[options\] \[command\]\n/);
    expect(result.stderr).toMatch(/\n  run \[options\] <config> /);
    noStack(result.stderr);
  });

  it("--help is asked for: stdout, exit 0", () => {
    const result = crossprop(["--help"]);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^Usage: crossprop /);
    expect(result.stderr).toBe("");
  });

  it("--version prints the cli package's version on stdout and exits 0", () => {
    const result = crossprop(["--version"]);
    expect(result).toEqual({ status: 0, stdout: `${cliVersion}\n`, stderr: "" });
  });
});

describe("--json - writes pure JSON to stdout, the human output to stderr", () => {
  it("check --json -: the report on stdout, the text report on stderr, no file named -", () => {
    const cwd = tempDir();
    const config = writeConfig(tiny, cwd);
    const result = crossprop(["check", config, "--backends", "manual:typescript,autograd:typescript", "--reference", "manual:typescript", "--json", "-", "--quiet"], cwd);
    expect(result.status, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report).toMatchObject({ schema_version: 2, name: "habits", passed: true, backends: ["manual:typescript", "autograd:typescript"] });
    expect(result.stderr).toMatch(/^check habits: 5 steps/);
    expect(result.stderr).toMatch(/\nPASS: every backend agrees/);
    expect(existsSync(join(cwd, "-"))).toBe(false);
    noStack(result.stderr);
  });

  it("check --json FILE keeps the text report on stdout and writes the file", () => {
    const cwd = tempDir();
    const config = writeConfig(tiny, cwd);
    const file = join(cwd, "reports", "check.json");
    const result = crossprop(["check", config, "--backends", "manual:typescript,autograd:typescript", "--reference", "manual:typescript", "--json", file, "--quiet"], cwd);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^check habits: 5 steps/);
    expect(JSON.parse(readFileSync(file, "utf8")).passed).toBe(true);
  });

  it("run --json -: the summary object on stdout, the table on stderr", () => {
    const cwd = tempDir();
    const config = writeConfig(tiny, cwd);
    const out = join(cwd, "run");
    const result = crossprop(["run", config, "--out", out, "--quiet", "--json", "-"], cwd);
    expect(result.status, result.stderr).toBe(0);
    const summary = JSON.parse(result.stdout);
    expect(summary).toEqual(JSON.parse(readFileSync(join(out, "summary.json"), "utf8")));
    expect(summary).toMatchObject({ status: "completed", name: "habits", backend: "manual" });
    expect(result.stderr).toMatch(/valid_accuracy/);
    expect(existsSync(join(cwd, "-"))).toBe(false);
    noStack(result.stderr);
  });

  it("run --backend a,b --json FILE: the list of summaries, in backend order; the table stays on stdout", () => {
    const cwd = tempDir();
    const config = writeConfig(tiny, cwd);
    const file = join(cwd, "summaries.json");
    const result = crossprop(["run", config, "--backend", "manual,autograd", "--out", join(cwd, "compare"), "--quiet", "--json", file], cwd);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/valid_accuracy/);
    const summaries = JSON.parse(readFileSync(file, "utf8")) as { backend: string; status: string }[];
    expect(summaries.map((s) => [s.backend, s.status])).toEqual([["manual", "completed"], ["autograd", "completed"]]);
  });

  it("sweep --plan --json -: the plan's trials on stdout, the table on stderr, nothing run", () => {
    const cwd = tempDir();
    const config = writeConfig(sweep, cwd);
    const result = crossprop(["sweep", config, "--plan", "--json", "-"], cwd);
    expect(result.status, result.stderr).toBe(0);
    const plan = JSON.parse(result.stdout);
    expect(plan.name).toBe("habits");
    expect(plan.plan.size).toBe(2);
    expect(plan.trials.map((t: { index: number; params: unknown; finished: boolean }) => [t.index, t.params, t.finished])).toEqual([
      [1, { "optimizer.lr": 0.1 }, false],
      [2, { "optimizer.lr": 0.5 }, false],
    ]);
    expect(plan.trials.map((t: { id: string }) => t.id)).toEqual(plan.plan.trials.map((t: { id: string }) => t.id));
    expect(result.stderr).toMatch(/^habits: 2 trials, 2 grid; sweep directory runs\/habits\/sweep-[0-9a-f]{12}\n/);
    expect(existsSync(join(cwd, "runs"))).toBe(false);
  });

  it("sweep --json without --plan is refused: exit 2, one line", () => {
    const cwd = tempDir();
    const config = writeConfig(sweep, cwd);
    const result = crossprop(["sweep", config, "--json", join(cwd, "x.json")], cwd);
    expect(result.status).toBe(2);
    expect(result.stderr).toBe("error: --json goes with --plan; a sweep writes its results to results.json in the sweep directory\n");
    expect(existsSync(join(cwd, "runs"))).toBe(false);
  });
});

describe("--json FILE is probed before any training", () => {
  for (const command of ["run", "check"] as const) {
    it(`${command} --json under a file: exit 2 at once, nothing written`, () => {
      const cwd = tempDir();
      const config = writeConfig(tiny, cwd);
      writeFileSync(join(cwd, "blocker"), "a file\n");
      const file = join(cwd, "blocker", "out.json");
      const before = Date.now();
      const extra = command === "run" ? ["--out", join(cwd, "run")] : [];
      const result = crossprop([command, config, ...extra, "--json", file, "--quiet"], cwd);
      expect(Date.now() - before).toBeLessThan(15_000);
      expect(result.status).toBe(2);
      expect(result.stdout).toBe("");
      expect(result.stderr).toBe(`error: --json ${file}: ${join(cwd, "blocker")} is a file, not a directory\n`);
      expect(readdirSync(cwd).sort()).toEqual(["blocker", "config.yaml"]);
    });
  }

  it("sweep --plan --json under a file: exit 2", () => {
    const cwd = tempDir();
    const config = writeConfig(sweep, cwd);
    writeFileSync(join(cwd, "blocker"), "a file\n");
    const file = join(cwd, "blocker", "plan.json");
    const result = crossprop(["sweep", config, "--plan", "--json", file], cwd);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toBe(`error: --json ${file}: ${join(cwd, "blocker")} is a file, not a directory\n`);
  });
});

describe("check --reference outside --backends", () => {
  it("the issue's command: --reference tfjs --backends manual,autograd notes that tfjs is added", () => {
    const cwd = tempDir();
    const config = writeConfig(tiny, cwd);
    const result = crossprop(["check", config, "--reference", "tfjs", "--backends", "manual,autograd", "--steps", "2", "--quiet"], cwd);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stderr).toBe("note: --reference tfjs is not among --backends manual,autograd: tfjs is checked too, as the reference\n");
    expect(result.stdout).toMatch(/\nPASS: every backend agrees with tfjs\s/);
    // tfjs's own finite-difference rows: it was checked (at 80 columns, a table per backend).
    expect(result.stdout).toMatch(/│ tfjs +│ layers|^backend tfjs:\n┌[─┬]+┐\n│ parameter/m);
  });

  it("says the reference was added, with a note on stderr, and checks it", () => {
    const cwd = tempDir();
    const config = writeConfig(tiny, cwd);
    const result = crossprop(["check", config, "--reference", "manual:typescript", "--backends", "autograd:typescript", "--steps", "2", "--quiet"], cwd);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stderr).toBe("note: --reference manual:typescript is not among --backends autograd:typescript: manual:typescript is checked too, as the reference\n");
    expect(result.stdout).toMatch(/\nPASS: every backend agrees with manual:typescript\s/);
  });

  it("is quiet when the reference is listed", () => {
    const cwd = tempDir();
    const config = writeConfig(tiny, cwd);
    const result = crossprop(["check", config, "--reference", "manual:typescript", "--backends", "manual:typescript,autograd:typescript", "--steps", "2", "--quiet"], cwd);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stderr).toBe("");
  });
});
