import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { tempDir, writeConfig } from "../cli/helpers.ts";
import { crosspropWithin, stackTrace, type TimedResult } from "./mounts.ts";

// A shard directory is evidence: sweep merge (and sweep resume) verify it against the plan
// recomputed from the config and against each trial's own files, and refuse what does not agree
// — exit 2, one line naming the file and the mismatch, nothing written. Four tiny trials (100
// MNIST images, 784 → 10, one epoch), sharded 1/2 and 2/2 once; each case tampers with copies.
const SWEEP = `name: tamper
data: { train_size: 100, test_size: 100 }
model: { hidden: [] }
training: { epochs: 1 }
sweep:
  grid:
    optimizer.lr: [0.1, 0.5]
    training.batch_size: [16, 32]
`;

type Json = Record<string, any>;
const readJson = (file: string) => JSON.parse(readFileSync(file, "utf8")) as Json;
const writeJson = (file: string, data: unknown) => writeFileSync(file, `${JSON.stringify(data, null, 2)}\n`);
const editJson = (file: string, edit: (data: Json) => void) => {
  const data = readJson(file);
  edit(data);
  writeJson(file, data);
};

/** Exit code, stderr (exact or a pattern), no stack trace, no hang. */
function expectOutcome(result: TimedResult, status: number, stderr: string | RegExp): void {
  expect(result.timedOut).toBe(false);
  expect(result.stderr).not.toMatch(stackTrace);
  if (typeof stderr === "string") expect(result.stderr).toBe(stderr);
  else expect(result.stderr).toMatch(stderr);
  expect(result.status).toBe(status);
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

describe("sweep merge verifies the shards it is given", () => {
  const cwd = tempDir();
  const config = writeConfig(SWEEP, cwd);
  const shards = [join(cwd, "s1"), join(cwd, "s2")];
  let ids: string[] = [];

  beforeAll(() => {
    for (const [i, dir] of shards.entries()) {
      const result = crosspropWithin(["sweep", config, "--shard", `${i + 1}/2`, "--workers", "1", "--out", dir, "--quiet"], { cwd, timeoutMs: 60_000 });
      expect(result.status, result.stderr).toBe(0);
    }
    ids = readJson(join(shards[0]!, "results.json")).plan.trials.map((t: Json) => t.id);
  });

  /** Fresh copies of both shards (shard 1 holds trials #1 and #3), and an --out that does not exist yet. */
  function copies(): { a: string; b: string; out: string; root: string } {
    const root = tempDir();
    const [a, b] = ["a", "b"].map((name, i) => {
      cpSync(shards[i]!, join(root, name), { recursive: true });
      return join(root, name);
    });
    return { a: a!, b: b!, out: join(root, "out"), root };
  }
  const merge = (dirs: string[], out?: string) => crosspropWithin(["sweep", "merge", ...dirs, ...(out ? ["--out", out] : [])], { cwd, timeoutMs: 30_000 });
  const results = (dir: string) => join(dir, "results.json");
  const firstTrial = () => `trial #1 (${ids[0]})`;

  it("untampered copies merge, exit 0 (the baseline the cases below differ from)", () => {
    const { a, b, out } = copies();
    expectOutcome(merge([a, b], out), 0, "");
    expect(readdirSync(join(out, "trials")).sort()).toEqual([...ids].sort());
  });

  it("run_dir leading out of the shard (../../…, or absolute): exit 2, nothing copied or written", () => {
    const { a, b, out, root } = copies();
    const victim = join(root, "victim");
    mkdirSync(victim);
    writeFileSync(join(victim, "secret"), "x");
    for (const runDir of ["../../victim", victim]) {
      editJson(results(a), (r) => (r.trials[0].run_dir = runDir));
      expectOutcome(
        merge([a, b], out),
        2,
        `error: ${results(a)}: ${firstTrial()}: run_dir ${JSON.stringify(runDir)} is not trials/${ids[0]}: a trial's directory is trials/<id> inside its sweep directory\n`,
      );
      expect(existsSync(out)).toBe(false);
    }
  });

  it("a trial directory that is a symbolic link out of the shard: exit 2", () => {
    const { a, b, out, root } = copies();
    const trialDir = join(a, "trials", ids[0]!);
    cpSync(trialDir, join(root, "elsewhere"), { recursive: true });
    rmSync(trialDir, { recursive: true });
    symlinkSync(join(root, "elsewhere"), trialDir);
    expectOutcome(merge([a, b], out), 2, `error: ${trialDir}: resolves to ${join(root, "elsewhere")}, outside the sweep directory ${a}\n`);
    expect(existsSync(out)).toBe(false);
  });

  it("a name that is a path (../../evil) for the default output directory: exit 2, nothing written anywhere", () => {
    const { a, b, root } = copies();
    editJson(results(a), (r) => (r.name = "../../evil"));
    const before = readdirSync(cwd).sort();
    expectOutcome(merge([a, b]), 2, `error: ${results(a)}: name "../../evil" is not a config name (letters, digits, '.', '_' and '-', not starting with '.')\n`);
    expect(readdirSync(cwd).sort()).toEqual(before);
    expect(existsSync(join(cwd, "..", "evil"))).toBe(false);
    expect(readdirSync(root).sort()).toEqual(["a", "b"]);
  });

  it("an edited accuracy in results.json: exit 2, naming the trial and its summary.json", () => {
    const { a, b, out } = copies();
    editJson(results(a), (r) => (r.trials[0].metrics.valid_accuracy = 0.999));
    expectOutcome(merge([a, b], out), 2, new RegExp(`^error: ${escape(results(a))}: ${escape(firstTrial())}: metrics\\.valid_accuracy is 0\\.999 in results\\.json, but 0\\.\\d+ in ${escape(join(a, "trials", ids[0]!, "summary.json"))}\\n$`));
    expect(existsSync(out)).toBe(false);
  });

  it("the accuracy edited in results.json and summary.json alike: exit 2, summary.json contradicts metrics.jsonl", () => {
    const { a, b, out } = copies();
    editJson(results(a), (r) => (r.trials[0].metrics.valid_accuracy = 0.999));
    const summary = join(a, "trials", ids[0]!, "summary.json");
    editJson(summary, (s) => (s.final.valid_accuracy = 0.999));
    expectOutcome(merge([a, b], out), 2, new RegExp(`^error: ${escape(summary)}: final\\.valid_accuracy is 0\\.999, but ${escape(join(a, "trials", ids[0]!, "metrics.jsonl"))} ends with 0\\.\\d+\\n$`));
  });

  it("a trial index outside the plan (#99 of 4), or an id that is not the plan's: exit 2", () => {
    let { a, b, out } = copies();
    editJson(results(a), (r) => (r.trials[0].index = 99));
    expectOutcome(merge([a, b], out), 2, `error: ${results(a)}: trial #99 is not in the plan (trials #1–#4)\n`);
    ({ a, b, out } = copies());
    editJson(results(a), (r) => (r.trials[0].id = "0123456789ab"));
    expectOutcome(merge([a, b], out), 2, `error: ${results(a)}: trial #1 has id 0123456789ab, but the plan's trial #1 is ${ids[0]}\n`);
    ({ a, b, out } = copies());
    editJson(results(a), (r) => (r.trials[0].index = 2));
    expectOutcome(merge([a, b], out), 2, `error: ${results(a)}: trial #2 is not in shard 1/2\n`);
    expect(existsSync(out)).toBe(false);
  });

  it("a plan that is not the config's (a trial added, its hash recomputed): exit 2", () => {
    const { a, b, out } = copies();
    editJson(results(a), (r) => r.plan.trials.push({ index: 5, id: "0123456789ab", params: {} }));
    expectOutcome(
      merge([a, b], out),
      2,
      new RegExp(`^error: ${escape(results(a))}: not the plan recomputed from ${escape(config)} \\(plan [0-9a-f]{12}\\): plan\\.trials\\[4\\] is \\{"id":"0123456789ab","index":5,"params":\\{\\}\\}, the plan's is absent\\n$`),
    );
  });

  it("failed with passed: true — over a finished trial, or with its summary gone: exit 2", () => {
    let { a, b, out } = copies();
    editJson(results(a), (r) => Object.assign(r.trials[0], { status: "failed", passed: true }));
    expectOutcome(merge([a, b], out), 2, `error: ${results(a)}: ${firstTrial()}: status is "failed" in results.json, but "completed" in ${join(a, "trials", ids[0]!, "summary.json")}\n`);
    ({ a, b, out } = copies());
    rmSync(join(a, "trials", ids[0]!, "summary.json"));
    // Every field as a failed trial's, but passed.
    const failed = { status: "failed", error: "boom", backend: null, engine: null, expectations: [], passed: true };
    editJson(results(a), (r) => Object.assign(r.trials[0], failed, { metrics: { train_loss: null, valid_loss: null, valid_accuracy: null, epochs: 0, steps: 0, evaluations: 0 }, objective: null, rank: null }));
    editJson(results(a), (r) => Object.assign(r.trials[0].timings, { wall_seconds: null, seconds_per_epoch: null, samples_per_second: null }));
    const result = merge([a, b], out);
    expect(result.stderr).not.toMatch(/best is|counts is/); // the trial's own check speaks first
    expectOutcome(result, 2, `error: ${results(a)}: ${firstTrial()}: passed is true in results.json, but false in ${join(a, "trials", ids[0]!)} (no finished summary.json)\n`);
  });

  it("completed in results.json with the summary gone: exit 2", () => {
    const { a, b, out } = copies();
    rmSync(join(a, "trials", ids[0]!, "summary.json"));
    expectOutcome(merge([a, b], out), 2, `error: ${results(a)}: ${firstTrial()}: status is completed, but ${join(a, "trials", ids[0]!, "summary.json")} does not say the run finished\n`);
  });

  it("a trial's config edited (it no longer hashes to the trial's id): exit 2", () => {
    const { a, b, out } = copies();
    const file = join(a, "trials", ids[0]!, "config.resolved.yaml");
    writeFileSync(file, readFileSync(file, "utf8").replace("lr: 0.1", "lr: 0.3"));
    expectOutcome(merge([a, b], out), 2, new RegExp(`^error: ${escape(file)}: its config hashes to [0-9a-f]{12}, not to the trial's id ${ids[0]}: the directory holds another run\\n$`));
  });

  it("an edited best: exit 2; an edited expect_best is not evidence: the merge judges by the config's", () => {
    let { a, b, out } = copies();
    editJson(results(a), (r) => (r.best.value = 1));
    expectOutcome(merge([a, b], out), 2, new RegExp(`^error: ${escape(results(a))}: best is \\{.*"value":1\\}, but its trials make it \\{.*\\}\\n$`));
    ({ a, b, out } = copies());
    editJson(results(a), (r) => (r.expect_best = { valid_accuracy: { min: 2 } }));
    const result = merge([a, b], out);
    expect(result.status, result.stderr).toBe(0);
    expect(readJson(results(out))).toMatchObject({ expect_best: {}, best_expectations: [], passed: true });
  });

  it("a deleted trial directory still marked completed is not_run: the merge fails (exit 1) instead of counting it", () => {
    const { a, b, out } = copies();
    rmSync(join(a, "trials", ids[0]!), { recursive: true });
    const result = merge([a, b], out);
    expectOutcome(result, 1, new RegExp(`^error: ✗ #1 ${ids[0]} .*missing: ${escape(join(a, "trials", ids[0]!))} does not exist \\(recorded as completed\\)`));
    const merged = readJson(results(out));
    expect(merged.trials.map((t: Json) => t.status)).toEqual(["not_run", "completed", "completed", "completed"]);
    expect(readdirSync(join(out, "trials")).sort()).toEqual(ids.slice(1).sort());
  });

  it("results.json that is a FIFO: exit 2 at once, no hang", () => {
    const { a, b, out } = copies();
    rmSync(results(a));
    execFileSync("mkfifo", [results(a)]);
    expectOutcome(merge([a, b], out), 2, `error: ${results(a)}: cannot read sweep results: not a regular file\n`);
  });

  it("merged where the sweep's config is not: exit 2, saying why the config is needed", () => {
    const { a, b, out, root } = copies();
    rmSync(config);
    try {
      expectOutcome(merge([a, b], out), 2, `error: ${results(a)}: config_file ${config}: no such file; merge recomputes the plan from the sweep's config, so run it where the sweep ran\n`);
      expect(readdirSync(root).sort()).toEqual(["a", "b"]);
    } finally {
      writeFileSync(config, SWEEP);
    }
  });
});

describe("sweep resume verifies a finished trial before keeping it", () => {
  const cwd = tempDir();
  const config = writeConfig(SWEEP.replace("    training.batch_size: [16, 32]\n", ""), cwd);
  const sweep = (dir: string, extra: string[] = []) => crosspropWithin(["sweep", config, "--workers", "1", "--out", dir, "--quiet", ...extra], { cwd, timeoutMs: 60_000 });
  let original = "";
  let ids: string[] = [];

  beforeAll(() => {
    original = join(cwd, "sweep");
    expect(sweep(original).status).toBe(0);
    ids = readJson(join(original, "results.json")).trials.map((t: Json) => t.id);
  });

  function copy(): string {
    const dir = join(tempDir(), "sweep");
    cpSync(original, dir, { recursive: true });
    return dir;
  }

  it("an untampered directory resumes: nothing reruns, exit 0", () => {
    const dir = copy();
    const summary = join(dir, "trials", ids[0]!, "summary.json");
    const before = statSync(summary).mtimeMs;
    expectOutcome(sweep(dir), 0, "");
    expect(readJson(join(dir, "results.json")).trials.every((t: Json) => t.timings.resumed)).toBe(true);
    expect(statSync(summary).mtimeMs).toBe(before);
  });

  it("an edited summary.json: exit 2 before any trial runs, the directory left as it was", () => {
    const dir = copy();
    const summary = join(dir, "trials", ids[1]!, "summary.json");
    editJson(summary, (s) => (s.final.valid_accuracy = 0.999));
    const results = readFileSync(join(dir, "results.json"), "utf8");
    expectOutcome(
      sweep(dir),
      2,
      new RegExp(`^error: ${escape(summary)}: final\\.valid_accuracy is 0\\.999, but .*metrics\\.jsonl ends with 0\\.\\d+: not resumed; remove the trial's directory, or rerun every trial with --force\\n$`),
    );
    expect(readFileSync(join(dir, "results.json"), "utf8")).toBe(results);
    expect(readJson(summary).final.valid_accuracy).toBe(0.999);
    // --force reruns it: the trial's own numbers come back.
    expectOutcome(sweep(dir, ["--force"]), 0, "");
    expect(readJson(summary).final.valid_accuracy).toBe(readJson(join(original, "trials", ids[1]!, "summary.json")).final.valid_accuracy);
  });

  it("a trial directory linked to another run's: exit 2", () => {
    const dir = copy();
    const [first, second] = ids.map((id) => join(dir, "trials", id));
    rmSync(second!, { recursive: true });
    symlinkSync(first!, second!);
    expectOutcome(
      sweep(dir),
      2,
      new RegExp(`^error: ${escape(join(second!, "config.resolved.yaml"))}: its config hashes to ${ids[0]}, not to the trial's id ${ids[1]}: the directory holds another run: not resumed; .*\\n$`),
    );
  });
});
