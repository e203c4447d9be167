import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { crossprop, repoRoot, tempDir, writeConfig } from "../cli/helpers.ts";
import { alive, bin, noStackTrace, Running } from "./signal-cli.ts";

// Small epochs (1000 examples, batches of 50: 20 steps) so a run is mid-training after a second,
// with shuffled batches and a stateful optimizer: what a resume must reproduce byte for byte.
const config = (epochs: number, extra = "") =>
  writeConfig(`name: interrupts
seed: 5
data: { train_size: 1000, test_size: 200 }
model: { hidden: [32] }
optimizer: { type: momentum, lr: 0.05 }
training: { epochs: ${epochs}, batch_size: 50, shuffle: true, threads: 1 }
${extra}`);
const LONG = config(2000);
/** The line the CLI prints as epoch 2 ends: a checkpoint (of epoch 2) is then on disk. */
const SECOND_EPOCH = /epoch +2\/\d+ +train_loss/;
const summaryOf = (dir: string) => JSON.parse(readFileSync(join(dir, "summary.json"), "utf8"));
const INTERRUPTED = (signal: string, dir: string) =>
  new RegExp(`^error: interrupted by ${signal} after step \\d+ \\(epoch \\d+ of \\d+\\); ${dir} holds the checkpoint of epoch (\\d+): continue with --resume --out ${dir}$`);

describe("SIGINT / SIGTERM during run", () => {
  for (const [signal, code] of [["SIGINT", 130], ["SIGTERM", 143]] as const) {
    it(`${signal}: stops within 2 s, exit ${code}, one line, summary.json interrupted with its checkpoint`, async () => {
      const dir = join(tempDir(), "run");
      const running = Running.cli(["run", LONG, "--out", dir]);
      await running.waitFor(SECOND_EPOCH);
      running.signal(signal);
      const ended = await running.end();
      expect(ended.code).toBe(code);
      expect(ended.msAfterSignal).toBeLessThan(2000);
      expect(noStackTrace(ended)).toBe(true);
      const lines = ended.stderr.trim().split("\n");
      const errors = lines.filter((line) => line.startsWith("error:"));
      expect(errors).toHaveLength(1);
      const match = INTERRUPTED(signal, dir).exec(lines.at(-1)!);
      expect(match, lines.at(-1)).not.toBeNull();
      const summary = summaryOf(dir);
      expect(summary.status).toBe("interrupted");
      expect(summary.passed).toBe(false);
      expect(summary.checkpoint).toEqual({ epoch: Number(match![1]), step: Number(match![1]) * 20, file: "checkpoint.json" });
      expect(summary.epochs).toBeGreaterThanOrEqual(summary.checkpoint.epoch);
      expect(readdirSync(dir).sort()).toEqual(["checkpoint.json", "checkpoint.safetensors", "config.resolved.yaml", "init.safetensors", "metrics.jsonl", "steps.jsonl", "summary.json"]);
    });
  }
});

describe("run --resume", () => {
  for (const [backend, optimizer] of [["manual", "momentum"], ["autograd", "adam"], ["tfjs", "adam"]] as const) {
    it(`${backend} (${optimizer}, shuffled): SIGTERM mid-run, then --resume: final.safetensors byte-identical to an uninterrupted run`, async () => {
      const file = config(30);
      const sets = ["--backend", backend, "--set", `optimizer.type=${optimizer}`, "--set", "optimizer.lr=0.01"];
      const straight = join(tempDir(), "straight");
      expect(crossprop(["run", file, ...sets, "--out", straight, "--quiet"]).status).toBe(0);

      const dir = join(tempDir(), "resumed");
      const running = Running.cli(["run", file, ...sets, "--out", dir]);
      await running.waitFor(SECOND_EPOCH);
      running.signal("SIGTERM");
      const ended = await running.end();
      expect(ended.code).toBe(143);
      const { checkpoint } = summaryOf(dir);
      expect(checkpoint.epoch).toBeGreaterThanOrEqual(2);
      expect(checkpoint.epoch).toBeLessThan(30);

      const resumed = crossprop(["run", file, ...sets, "--out", dir, "--resume"]);
      expect(resumed.stderr).not.toMatch(/error/);
      expect(resumed.status).toBe(0);
      expect(readFileSync(join(dir, "final.safetensors")).equals(readFileSync(join(straight, "final.safetensors")))).toBe(true);
      const losses = (run: string) => readFileSync(join(run, "metrics.jsonl"), "utf8").trim().split("\n").map((line) => JSON.parse(line)).map((r) => [r.step, r.train_loss, r.valid_loss]);
      expect(losses(dir)).toEqual(losses(straight));
      expect(summaryOf(dir).status).toBe("completed");
      expect(existsSync(join(dir, "checkpoint.json"))).toBe(false);
    });
  }

  it("refuses, exit 2 with one line: no checkpoint, another config, no --out, with --force", () => {
    const empty = tempDir();
    const cases: [string[], string][] = [
      [["run", LONG, "--out", empty, "--resume"], `error: --resume: ${empty} holds no checkpoint (checkpoint.json); a run writes one at the end of each epoch`],
      [["run", LONG, "--resume"], "error: --resume needs --out DIR: the directory of the interrupted run"],
      [["run", LONG, "--out", empty, "--resume", "--force"], "error: --resume and --force exclude each other: --force starts the run afresh"],
    ];
    for (const [args, message] of cases) {
      const result = crossprop(args);
      expect(result.status, args.join(" ")).toBe(2);
      expect(result.stderr.trim()).toBe(message);
    }
  });

  it("refuses another config than the checkpointed one (exit 2, naming the line)", async () => {
    const dir = join(tempDir(), "run");
    const running = Running.cli(["run", LONG, "--out", dir]);
    await running.waitFor(SECOND_EPOCH);
    running.signal("SIGINT");
    expect((await running.end()).code).toBe(130);
    const result = crossprop(["run", LONG, "--out", dir, "--resume", "--set", "optimizer.lr=0.5"]);
    expect(result.status).toBe(2);
    expect(result.stderr.trim()).toMatch(new RegExp(`^error: --resume: the config differs from the one checkpointed in ${dir} \\(config.resolved.yaml line \\d+ is "lr: 0.5", was "lr: 0.05"\\)$`));
    expect(summaryOf(dir).status).toBe("interrupted");
  });
});

describe("SIGINT during check", () => {
  it("stops between steps: exit 130, one line, no stack trace", async () => {
    const running = Running.cli(["check", LONG, "--steps", "100000", "--backends", "manual:typescript"]);
    await running.waitFor(/checking .* for 100000 steps/);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    running.signal("SIGINT");
    const ended = await running.end();
    expect(ended.code).toBe(130);
    expect(ended.msAfterSignal).toBeLessThan(2000);
    expect(noStackTrace(ended)).toBe(true);
    expect(ended.stderr.trim().split("\n").at(-1)).toMatch(/^error: interrupted by SIGINT after step \d+ of 100000: no report was written$/);
  });
});

// util-linux `script` runs the CLI on a pseudo-terminal: the progress bar shows (hiding the cursor)
// and typing Ctrl-C reaches the process as a terminal's does.
const hasScript = spawnSync("script", ["--version"]).status === 0;

describe.skipIf(!hasScript)("Ctrl-C on a terminal", () => {
  it("the bar's hidden cursor is shown again, exit 130", async () => {
    const dir = join(tempDir(), "run");
    const running = new Running("script", ["-qfec", `${process.execPath} ${bin} run ${LONG} --out ${dir}`, "/dev/null"]);
    await running.waitFor(SECOND_EPOCH);
    running.child.stdin!.write("\x03");
    const ended = await running.end();
    expect(ended.code).toBe(130);
    const hidden = ended.stdout.indexOf("\x1b[?25l");
    expect(hidden).toBeGreaterThanOrEqual(0);
    expect(ended.stdout.lastIndexOf("\x1b[?25h")).toBeGreaterThan(ended.stdout.lastIndexOf("\x1b[?25l"));
    expect(ended.stdout).toMatch(/error: interrupted by SIGINT after step \d+/);
    expect(summaryOf(dir).status).toBe("interrupted");
  });
});

// Under `pnpm test`, npm_execpath is pnpm itself: the root `crossprop` script (exec node …) then
// runs as the README's `pnpm crossprop` does, and SIGTERM sent to pnpm must reach the training.
const pnpm = process.env.npm_execpath?.includes("pnpm") ? process.env.npm_execpath : null;

describe.skipIf(pnpm === null)("through pnpm crossprop", () => {
  it("SIGTERM to pnpm stops the node process below it: exit 143, summary.json interrupted", async () => {
    const dir = join(tempDir(), "run");
    const running = new Running(process.execPath, [pnpm!, "crossprop", "run", LONG, "--out", dir], { cwd: repoRoot });
    await running.waitFor(SECOND_EPOCH);
    const children = execFileSync("ps", ["-o", "pid=", "--ppid", String(running.child.pid)], { encoding: "utf8" }).trim().split(/\s+/).map(Number);
    running.signal("SIGTERM");
    const ended = await running.end();
    expect(ended.code).toBe(143);
    expect(ended.msAfterSignal).toBeLessThan(3000);
    for (const pid of children) expect(alive(pid), `pid ${pid}`).toBe(false);
    expect(summaryOf(dir).status).toBe("interrupted");
  });
});

const sweepConfig = (values: string, training: string, model = "[32]") =>
  writeConfig(`name: sweep-interrupts
data: { train_size: 1000, test_size: 200 }
model: { hidden: ${model} }
training: ${training}
sweep:
  grid:
    optimizer.lr: ${values}
`);
const resultsOf = (dir: string) => JSON.parse(readFileSync(join(dir, "results.json"), "utf8"));

describe("SIGINT / SIGTERM during sweep", () => {
  it("SIGTERM after the first trial: results.json with the finished trials and the rest not_run, exit 143; rerunning resumes", async () => {
    const file = sweepConfig("[0.01, 0.02, 0.03, 0.04, 0.05, 0.06]", "{ epochs: 3, batch_size: 50, threads: 1 }");
    const dir = join(tempDir(), "sweep");
    const running = Running.cli(["sweep", file, "--workers", "1", "--out", dir]);
    await running.waitFor(/\[1\/6\] /);
    running.signal("SIGTERM");
    const ended = await running.end();
    expect(ended.code).toBe(143);
    expect(ended.msAfterSignal).toBeLessThan(3000);
    expect(noStackTrace(ended)).toBe(true);
    const results = resultsOf(dir);
    const { completed, not_run } = results.counts;
    expect(completed).toBeGreaterThanOrEqual(1);
    expect(not_run).toBeGreaterThanOrEqual(1);
    expect(completed + not_run).toBe(6);
    for (const trial of results.trials.filter((t: { status: string }) => t.status === "not_run")) expect(trial.error).toMatch(/^not run: SIGTERM stopped (it midway|the sweep before it started)/);
    const errors = ended.stderr.trim().split("\n").filter((line) => line.startsWith("error:"));
    expect(errors).toEqual([`error: interrupted by SIGTERM: ${join(dir, "results.json")} lists ${completed} finished trial(s), ${not_run} not_run; run the same command again to resume`]);

    const rerun = crossprop(["sweep", file, "--workers", "1", "--out", dir, "--quiet"]);
    expect(rerun.status).toBe(0);
    expect(resultsOf(dir).counts).toMatchObject({ completed: 6, not_run: 0 });
  });

  it("a second SIGINT exits at once while a trial is still in its step", async () => {
    // One step of 1000 rows through 784→3072→3072→10 on one thread takes seconds: the first SIGINT waits for it.
    const file = sweepConfig("[0.01, 0.02]", "{ epochs: 20, batch_size: full, threads: 1 }", "[3072, 3072]");
    const dir = join(tempDir(), "sweep");
    const running = Running.cli(["sweep", file, "--workers", "1", "--out", dir], { timeoutMs: 60_000 });
    await running.waitFor(/sweep sweep-interrupts: 2 trials/);
    const trialDir = () => readdirSync(join(dir, "trials")).map((id) => join(dir, "trials", id))[0];
    // steps.jsonl appears when step 1 (epoch 1) is evaluated; shortly after, step 2 is computing.
    while (!(existsSync(join(dir, "trials")) && trialDir() && existsSync(join(trialDir()!, "steps.jsonl")))) await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, 400));
    running.signal("SIGINT");
    await new Promise((r) => setTimeout(r, 700));
    expect(running.child.exitCode, "still stopping after the first SIGINT").toBeNull();
    running.signal("SIGINT");
    const ended = await running.end();
    expect(ended.code).toBe(130);
    expect(ended.msAfterSignal).toBeLessThan(1000);
    expect(noStackTrace(ended)).toBe(true);
    expect(ended.stderr.trim().split("\n").at(-1)).toBe("error: SIGINT again: exiting at once, without waiting for the current step");
  });

  it("--force marks the old results stale before any trial runs: killed midway, no results.json looks current", async () => {
    const file = sweepConfig("[0.01, 0.02]", "{ epochs: 1, batch_size: 50, threads: 1 }");
    const dir = join(tempDir(), "sweep");
    expect(crossprop(["sweep", file, "--out", dir, "--quiet"]).status).toBe(0);
    const running = Running.cli(["sweep", file, "--force", "--out", dir]);
    while (!existsSync(join(dir, "results.json.stale"))) await new Promise((r) => setTimeout(r, 5));
    running.signal("SIGKILL");
    await running.end();
    expect(existsSync(join(dir, "results.json"))).toBe(false);
    expect(readdirSync(dir).filter((name) => name.endsWith(".stale")).sort()).toEqual(["junit.xml.stale", "results.csv.stale", "results.html.stale", "results.json.stale", "summary.md.stale"]);
    expect(crossprop(["sweep", file, "--force", "--out", dir, "--quiet"]).status).toBe(0);
    expect(readdirSync(dir).filter((name) => name.endsWith(".stale"))).toEqual([]);
    expect(resultsOf(dir).counts.completed).toBe(2);
  });
});
