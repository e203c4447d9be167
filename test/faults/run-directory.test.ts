import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot, tempDir, writeConfig } from "../cli/helpers.ts";
import { crosspropWithin, stackTrace } from "./mounts.ts";

// A run owns its directory: a lock while it writes, another run's files refused unless --force,
// and summary.json always describes the files beside it.
const BASE = "name: t\ndata: { train_size: 100, test_size: 100 }\ntraining: { epochs: 1 }\n";
const RUN_FILES = ["config.resolved.yaml", "final.safetensors", "gradients.safetensors", "init.safetensors", "metrics.jsonl", "predictions.csv", "report.html", "steps.jsonl", "summary.json"];

const status = (dir: string) => (JSON.parse(readFileSync(join(dir, "summary.json"), "utf8")) as { status: string }).status;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A finished run in a fresh directory. */
function finishedRun(config: string): string {
  const out = join(tempDir(), "run");
  const result = crosspropWithin(["run", config, "--out", out, "-q"]);
  expect(result.status, result.stderr).toBe(0);
  return out;
}

describe("a directory holding another run", () => {
  const config = writeConfig(BASE);

  it("is refused, exit 2, its files untouched", () => {
    const out = finishedRun(config);
    const before = readFileSync(join(out, "final.safetensors"));
    const result = crosspropWithin(["run", config, "--set", "seed=7", "--out", out, "-q"], { timeoutMs: 20_000 });
    expect(result.stderr).not.toMatch(stackTrace);
    expect(result.stderr).toBe(`error: run directory ${out} holds another run's files (summary.json, config.resolved.yaml, init.safetensors, …); choose another --out, or pass --force to replace them\n`);
    expect(result.status).toBe(2);
    expect(readFileSync(join(out, "final.safetensors")).equals(before)).toBe(true);
    expect(readdirSync(out).sort()).toEqual(RUN_FILES);
  });

  it("--force removes that run's files (only crossprop's) and runs", () => {
    const out = finishedRun(config);
    writeFileSync(join(out, "notes.txt"), "mine");
    writeFileSync(join(out, "summary.json.tmp-99999"), "{"); // a killed run's temporary
    const result = crosspropWithin(["run", config, "--set", "seed=7", "--out", out, "--force", "-q"], { timeoutMs: 30_000 });
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expect(readdirSync(out).sort()).toEqual([...RUN_FILES, "notes.txt"].sort());
    expect(readFileSync(join(out, "config.resolved.yaml"), "utf8")).toMatch(/^seed: 7$/m);
    expect(readFileSync(join(out, "notes.txt"), "utf8")).toBe("mine");
  });

  it("a --force rerun that diverges leaves no final.safetensors of the old run beside its summary", () => {
    const out = finishedRun(config);
    const result = crosspropWithin(["run", config, "--set", "optimizer.lr=1e30", "--set", "model.hidden=[64]", "--out", out, "--force", "-q"], { timeoutMs: 30_000 });
    expect(result.stderr).toMatch(/^error: diverged: /);
    expect(result.stderr).not.toMatch(stackTrace);
    expect(result.status).toBe(1);
    expect(status(out)).toBe("diverged");
    expect(existsSync(join(out, "final.safetensors"))).toBe(false);
    // its parameters are not finite: no predictions or gradients of its own, and the old run's are gone
    expect(existsSync(join(out, "predictions.csv"))).toBe(false);
    expect(existsSync(join(out, "gradients.safetensors"))).toBe(false);
  });

  it("--backend a,b: a backend directory holding a run is refused before either trains", () => {
    const out = join(tempDir(), "compare");
    mkdirSync(join(out, "autograd"), { recursive: true });
    writeFileSync(join(out, "autograd", "summary.json"), "{}");
    const result = crosspropWithin(["run", config, "--backend", "manual,autograd", "--out", out, "-q"], { timeoutMs: 20_000 });
    expect(result.stderr).toBe(`error: run directory ${join(out, "autograd")} holds another run's files (summary.json); choose another --out, or pass --force to replace them\n`);
    expect(result.status).toBe(2);
    expect(readdirSync(join(out, "manual"))).toEqual([]); // claimed, then given up: nothing trained
    expect(existsSync(join(out, "comparison.json"))).toBe(false);
  });
});

describe("two runs into one directory", () => {
  // Long enough (5 s or so: 20,000 steps) that the second starts while the first is writing.
  const slow = writeConfig("name: slow\ndata: { train_size: 10000, test_size: 100 }\nmodel: { hidden: [128] }\ntraining: { epochs: 8, batch_size: 4 }\n");

  it("the second is refused while the first holds the lock, exit 2; the first completes and leaves no lock", async () => {
    const out = join(tempDir(), "run");
    const first = spawn(process.execPath, [join(repoRoot, "packages/cli/bin/crossprop.js"), "run", slow, "--out", out, "-q"], { stdio: ["ignore", "ignore", "pipe"] });
    let firstErr = "";
    first.stderr.on("data", (chunk: Buffer) => (firstErr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => first.on("exit", resolve));
    for (let waited = 0; !existsSync(join(out, "summary.json")) && waited < 20_000; waited += 50) await sleep(50);
    const pid = readFileSync(join(out, ".lock"), "utf8");
    expect(pid).toBe(`${first.pid}\n`);
    expect(status(out)).toBe("running"); // the summary describes the half-written directory

    const second = crosspropWithin(["run", slow, "--out", out, "--force", "-q"], { timeoutMs: 20_000 });
    expect(second.stderr).not.toMatch(stackTrace);
    expect(second.stderr).toBe(`error: run directory ${out} is in use by another crossprop run (pid ${first.pid}); wait for it to finish, or remove ${join(out, ".lock")} if no run is writing there\n`);
    expect(second.status).toBe(2);

    expect(await exited).toBe(0);
    expect(firstErr).toBe("");
    expect(status(out)).toBe("completed");
    expect(readdirSync(out).sort()).toEqual(RUN_FILES);
  });

  it("a lock left by a killed run (its pid gone) is taken over with a note", () => {
    const out = join(tempDir(), "run");
    mkdirSync(out);
    const dead = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" }).stdout;
    writeFileSync(join(out, ".lock"), `${dead}\n`);
    const result = crosspropWithin(["run", writeConfig(BASE), "--out", out, "-q"], { timeoutMs: 30_000 });
    expect(result.stderr).toBe(`note: run directory ${out}: taking over the lock of pid ${dead}, which is no longer running\n`);
    expect(result.status).toBe(0);
    expect(readdirSync(out).sort()).toEqual(RUN_FILES);
  });

  it("a run killed mid-way (SIGKILL) leaves summary.json `running`; a rerun without --force is refused", async () => {
    const out = join(tempDir(), "run");
    const victim = spawn(process.execPath, [join(repoRoot, "packages/cli/bin/crossprop.js"), "run", slow, "--out", out, "-q"], { stdio: "ignore" });
    const exited = new Promise((resolve) => victim.on("exit", resolve));
    for (let waited = 0; !existsSync(join(out, "metrics.jsonl")) && waited < 20_000; waited += 50) await sleep(50);
    victim.kill("SIGKILL");
    await exited;
    expect(status(out)).toBe("running");
    expect(existsSync(join(out, "final.safetensors"))).toBe(false);

    const refused = crosspropWithin(["run", slow, "--out", out, "-q"], { timeoutMs: 20_000 });
    expect(refused.stderr).toMatch(new RegExp(`^note: run directory ${out}: taking over the lock of pid ${victim.pid}, which is no longer running\\nerror: run directory ${out} holds another run's files \\(summary\\.json, `));
    expect(refused.status).toBe(2);
    expect(existsSync(join(out, ".lock"))).toBe(false);
  });
});
