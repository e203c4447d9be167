import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tempDir, writeConfig } from "../cli/helpers.ts";
import { crosspropWithin, fill, stackTrace, tmpfs, type TimedResult } from "./mounts.ts";

// Every output path is created and probed before training: a bad one is refused in about a
// second (exit 2, one line naming the path and the reason); a write that fails later is exit 1.
const BASE = "name: t\ndata: { train_size: 100, test_size: 100 }\ntraining: { epochs: 1 }\n";
const SWEEP = `${BASE}sweep:\n  grid:\n    optimizer.lr: [0.1, 0.5]\n`;

/** Exit code, the exact stderr, no stack trace, and no hang (the spawn's timeout did not fire). */
function expectRefusal(result: TimedResult, status: number, stderr: string): void {
  expect(result.timedOut).toBe(false);
  expect(result.stderr).not.toMatch(stackTrace);
  expect(result.stderr).toBe(stderr);
  expect(result.status).toBe(status);
}

const parsedLines = (file: string) => readFileSync(file, "utf8").split("\n").slice(0, -1).map((line) => JSON.parse(line) as unknown);

describe("run --out: refused before training", () => {
  const config = writeConfig(BASE);

  it("an existing file: exit 2, the file untouched", () => {
    const file = join(tempDir(), "taken");
    writeFileSync(file, "mine");
    expectRefusal(crosspropWithin(["run", config, "--out", file, "-q"], { timeoutMs: 20_000 }), 2, `error: run directory ${file}: is a file, not a directory\n`);
    expect(readFileSync(file, "utf8")).toBe("mine");
  });

  it("a path under a file: exit 2, naming the file, nothing made", () => {
    const root = tempDir();
    const file = join(root, "taken");
    writeFileSync(file, "mine");
    expectRefusal(crosspropWithin(["run", config, "--out", join(file, "a", "run"), "-q"], { timeoutMs: 20_000 }), 2, `error: run directory ${join(file, "a", "run")}: ${file} is a file, not a directory\n`);
    expect(readdirSync(root)).toEqual(["taken"]);
  });

  it("under /proc: exit 2 at once (Node's recursive mkdir loops forever there)", () => {
    expectRefusal(crosspropWithin(["run", config, "--out", "/proc/self/run", "-q"], { timeoutMs: 20_000 }), 2, "error: run directory /proc/self/run: /proc is a kernel file system, not a place for output\n");
  });

  it("under /sys and /dev too", () => {
    expectRefusal(crosspropWithin(["run", config, "--out", "/sys/run", "-q"], { timeoutMs: 20_000 }), 2, "error: run directory /sys/run: /sys is a kernel file system, not a place for output\n");
    expectRefusal(crosspropWithin(["run", config, "--out", "/dev/run", "-q"], { timeoutMs: 20_000 }), 2, "error: run directory /dev/run: /dev is a kernel file system, not a place for output\n");
    expect(existsSync("/dev/run")).toBe(false);
  });

  it("a name longer than the file system allows: exit 2", () => {
    const root = tempDir();
    const out = join(root, "n".repeat(300));
    expectRefusal(crosspropWithin(["run", config, "--out", out, "-q"], { timeoutMs: 20_000 }), 2, `error: run directory ${out}: name too long\n`);
    expect(readdirSync(root)).toEqual([]);
  });

  it("--backend a,b into a file: exit 2 before either trains", () => {
    const file = join(tempDir(), "taken");
    writeFileSync(file, "mine");
    expectRefusal(crosspropWithin(["run", config, "--backend", "manual,autograd", "--out", file, "-q"], { timeoutMs: 20_000 }), 2, `error: run directory ${file}: is a file, not a directory\n`);
  });
});

describe("check --json: probed before the check trains", () => {
  const config = writeConfig(BASE);

  it("onto a directory: exit 2, nothing checked", () => {
    const dir = tempDir();
    const result = crosspropWithin(["check", config, "--steps", "2", "--json", dir], { timeoutMs: 20_000 });
    expectRefusal(result, 2, `error: --json ${dir}: is a directory\n`);
    expect(result.stdout).toBe("");
    expect(readdirSync(dir)).toEqual([]);
  });

  it("under a file: exit 2", () => {
    const file = join(tempDir(), "taken");
    writeFileSync(file, "mine");
    expectRefusal(crosspropWithin(["check", config, "--steps", "2", "--json", join(file, "report.json")], { timeoutMs: 20_000 }), 2, `error: --json ${join(file, "report.json")}: ${file} is a file, not a directory\n`);
  });

  it("into a missing directory: made, and the report written", () => {
    const file = join(tempDir(), "reports", "2024", "check.json");
    const result = crosspropWithin(["check", config, "--steps", "2", "--backends", "manual,autograd", "--json", file, "-q"], { timeoutMs: 60_000 });
    expect(result.stderr).not.toMatch(stackTrace);
    expect(result.status, result.stderr).toBe(0);
    expect(JSON.parse(readFileSync(file, "utf8"))).toMatchObject({ passed: true });
    expect(readdirSync(join(file, ".."))).toEqual(["check.json"]);
  });
});

describe("sweep --out and $GITHUB_STEP_SUMMARY", () => {
  const config = writeConfig(SWEEP);

  it("sweep --out that is a file: exit 2 before any trial runs", () => {
    const file = join(tempDir(), "taken");
    writeFileSync(file, "mine");
    expectRefusal(crosspropWithin(["sweep", config, "--out", file, "--workers", "1", "-q"], { timeoutMs: 20_000 }), 2, `error: sweep directory ${file}: is a file, not a directory\n`);
    expect(readFileSync(file, "utf8")).toBe("mine");
  });

  it("an unwritable $GITHUB_STEP_SUMMARY (a directory) is a warning; the sweep's exit code stands", () => {
    const out = join(tempDir(), "sweep");
    const summary = tempDir();
    const result = crosspropWithin(["sweep", config, "--out", out, "--workers", "1", "-q"], { env: { GITHUB_STEP_SUMMARY: summary }, timeoutMs: 60_000 });
    expect(result.stderr).not.toMatch(stackTrace);
    expect(result.stderr).toBe(`warning: $GITHUB_STEP_SUMMARY ${summary}: is a directory; the job summary was not written\n`);
    expect(result.status).toBe(0);
    expect(existsSync(join(out, "results.json"))).toBe(true);

    // The same sweep directory merged into a file: refused before anything is copied.
    const file = join(tempDir(), "taken");
    writeFileSync(file, "mine");
    expectRefusal(crosspropWithin(["sweep", "merge", out, "--out", file], { env: { GITHUB_STEP_SUMMARY: undefined }, timeoutMs: 20_000 }), 2, `error: sweep directory ${file}: is a file, not a directory\n`);
    expect(readFileSync(file, "utf8")).toBe("mine");
  });

  it("a $GITHUB_STEP_SUMMARY in a missing directory is a warning too", () => {
    const out = join(tempDir(), "sweep");
    const summary = join(tempDir(), "gone", "summary.md");
    const result = crosspropWithin(["sweep", config, "--out", out, "--workers", "1", "-q"], { env: { GITHUB_STEP_SUMMARY: summary }, timeoutMs: 60_000 });
    expect(result.stderr).toBe(`warning: $GITHUB_STEP_SUMMARY ${summary}: no such file or directory; the job summary was not written\n`);
    expect(result.status).toBe(0);
  });
});

// Root only (as on CI): a mount, not chmod, makes a disk read-only or full for root.
describe.skipIf(process.getuid?.() !== 0)("read-only and full disks", () => {
  const config = writeConfig(BASE);
  const mounts: { dir: string; unmount: () => void }[] = [];
  const mount = (options: string) => {
    const mounted = tmpfs(options);
    if (!mounted) throw new Error(`mount -t tmpfs -o ${options} failed (root without CAP_SYS_ADMIN?)`);
    mounts.push(mounted);
    return mounted.dir;
  };
  let readOnly = "";
  let full = "";
  beforeAll(() => {
    readOnly = mount("ro");
    full = mount("size=256k");
    fill(full);
  });
  afterAll(() => {
    for (const { unmount } of mounts) unmount();
  });

  it("run --out on a read-only mount: exit 2", () => {
    expectRefusal(crosspropWithin(["run", config, "--out", join(readOnly, "run"), "-q"], { timeoutMs: 20_000 }), 2, `error: run directory ${join(readOnly, "run")}: read-only file system\n`);
    expectRefusal(crosspropWithin(["run", config, "--out", readOnly, "-q"], { timeoutMs: 20_000 }), 2, `error: run directory ${readOnly}: read-only file system\n`);
  });

  it("run --out on a full disk: exit 2, no directory left behind", () => {
    expectRefusal(crosspropWithin(["run", config, "--out", join(full, "run"), "-q"], { timeoutMs: 20_000 }), 2, `error: run directory ${join(full, "run")}: no space left on device\n`);
    expect(readdirSync(full)).toEqual(["filler"]);
  });

  it("check --json and sweep --out on them: exit 2 before any training", () => {
    expectRefusal(crosspropWithin(["check", config, "--json", join(readOnly, "check.json")], { timeoutMs: 20_000 }), 2, `error: --json ${join(readOnly, "check.json")}: read-only file system\n`);
    expectRefusal(crosspropWithin(["check", config, "--json", join(full, "check.json")], { timeoutMs: 20_000 }), 2, `error: --json ${join(full, "check.json")}: no space left on device\n`);
    expectRefusal(crosspropWithin(["sweep", writeConfig(SWEEP), "--out", join(full, "sweep"), "-q"], { timeoutMs: 20_000 }), 2, `error: sweep directory ${join(full, "sweep")}: no space left on device\n`);
  });

  it("$GITHUB_STEP_SUMMARY on a read-only mount: a warning, exit 0", () => {
    const summary = join(readOnly, "summary.md");
    const result = crosspropWithin(["sweep", writeConfig(SWEEP), "--out", join(tempDir(), "sweep"), "--workers", "1", "-q"], { env: { GITHUB_STEP_SUMMARY: summary }, timeoutMs: 60_000 });
    expect(result.stderr).toBe(`warning: $GITHUB_STEP_SUMMARY ${summary}: read-only file system; the job summary was not written\n`);
    expect(result.status).toBe(0);
  });

  it("the disk fills at final.safetensors: one line, exit 1, summary.json failed, no temporaries", () => {
    // 256 KB: room for init.safetensors (784 → 64 → 10: 204 KB), not for final.safetensors too.
    const out = join(mount("size=256k"), "run");
    const result = crosspropWithin(["run", config, "--set", "model.hidden=[64]", "--out", out, "-q"], { timeoutMs: 30_000 });
    expectRefusal(result, 1, `error: cannot write ${join(out, "final.safetensors")}: no space left on device\n`);
    const summary = JSON.parse(readFileSync(join(out, "summary.json"), "utf8"));
    expect([summary.status, summary.error, summary.passed, summary.epochs]).toEqual(["failed", `cannot write ${join(out, "final.safetensors")}: no space left on device`, false, 1]);
    expect(readdirSync(out).sort()).toEqual(["config.resolved.yaml", "init.safetensors", "metrics.jsonl", "steps.jsonl", "summary.json"]);
  });

  it("the disk fills while steps are appended (eval_every 1): whole lines only, and summary.json counts them", () => {
    const out = join(mount("size=256k"), "run");
    // 1,000 steps an epoch: metrics.jsonl alone outgrows 256 KB before the first epoch ends.
    const long = ["--set", "data.train_size=1000", "--set", "training.batch_size=1", "--set", "training.epochs=5", "--set", "training.eval_every=1", "--set", "data.test_size=10"];
    const result = crosspropWithin(["run", config, ...long, "--out", out, "-q"], { timeoutMs: 60_000 });
    expect(result.timedOut).toBe(false);
    expect(result.stderr).toMatch(new RegExp(`^error: cannot write ${out}/(metrics|steps)\\.jsonl: no space left on device\\n$`));
    expect(result.status).toBe(1);
    const steps = parsedLines(join(out, "steps.jsonl"));
    const metrics = parsedLines(join(out, "metrics.jsonl"));
    const summary = JSON.parse(readFileSync(join(out, "summary.json"), "utf8"));
    expect([summary.status, summary.steps, summary.evaluations]).toEqual(["failed", steps.length, metrics.length]);
    expect(metrics.length).toBeGreaterThan(100);
    expect(readdirSync(out).filter((name) => name.includes(".tmp-"))).toEqual([]);
  });
});

describe("steps.jsonl and metrics.jsonl are appended, not rewritten", () => {
  it("8,000 steps evaluated after every step cost about what 8 evaluations cost", () => {
    const config = writeConfig(`${BASE.replace("test_size: 100", "test_size: 10")}`);
    const common = ["--set", "training.batch_size=1", "--set", "training.epochs=80", "-q"];
    const time = (evalEvery: number) => {
      const out = join(tempDir(), "run");
      const started = performance.now();
      const result = crosspropWithin(["run", config, ...common, "--set", `training.eval_every=${evalEvery}`, "--out", out], { timeoutMs: 60_000 });
      expect(result.status, result.stderr).toBe(0);
      expect(parsedLines(join(out, "steps.jsonl")).length).toBe(8000);
      expect(parsedLines(join(out, "metrics.jsonl")).length).toBe(8000 / evalEvery);
      return performance.now() - started;
    };
    const rare = time(1000);
    const every = time(1);
    // Rewriting the history at each evaluation took 52 s against 1 s; evaluating 8,000 times
    // (10 test images each) and appending a line each is a second or two more at most.
    expect(every).toBeLessThan(rare * 3 + 3000);
  });
});
