import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { displayWidth } from "@crossprop/core";
import { repoRoot, tempDir, writeConfig } from "./helpers.ts";

// Issue 13 item 4: every line the CLI writes fits the width it is given — a terminal's own, or
// COLUMNS elsewhere (80 when unset) — at 80 columns, and degrades without overflowing at 60 and 120.

const bin = join(repoRoot, "packages/cli/bin/crossprop.js");
const small = "name: width\ndata: { train_size: 100, test_size: 100 }\ntraining: { epochs: 2, batch_size: 50 }\n";

/** The CLI through pipes, with COLUMNS (and more) in its environment; no stack trace expected. */
function cli(args: string[], env: Record<string, string>) {
  const result = spawnSync(process.execPath, [bin, ...args], { cwd: repoRoot, encoding: "utf8", timeout: 60_000, env: { ...process.env, NO_COLOR: "", ...env } });
  expect(result.stderr).not.toMatch(/\n\s+at |internal error/);
  return result;
}

/** Lines wider than `width`, by terminal columns (✓, –, … count one). */
const overflowing = (text: string, width: number) => text.split("\n").filter((line) => displayWidth(line) > width);

describe.each([80, 120, 60])("at %i columns", (width) => {
  const env = { COLUMNS: String(width) };

  it("run: the epoch lines on stderr and the table on stdout, the run directory below it", () => {
    const out = join(tempDir(), "run");
    const result = cli(["run", writeConfig(small), "--out", out], env);
    expect(result.status).toBe(0);
    expect(result.stderr).toMatch(/^epoch 2\/2 +train_loss [\d.]+ +valid_loss/m);
    expect(overflowing(result.stderr, width)).toEqual([]);
    expect(overflowing(result.stdout, width)).toEqual([]);
    expect(result.stdout).toMatch(/│ engine +│ wasm +│/);
    expect(result.stdout).toContain(`\nrun directory: ${out}\n`);
  });

  it("run --backend all: every backend's figures, run directories listed below the table", () => {
    const out = join(tempDir(), "all");
    const result = cli(["run", writeConfig(small), "--backend", "all", "--out", out, "-q"], env);
    expect(result.status).toBe(0);
    expect(overflowing(result.stdout, width)).toEqual([]);
    for (const backend of ["manual", "autograd", "tfjs"]) {
      expect(result.stdout).toMatch(new RegExp(`│ ${backend} +│|│ ${backend} +$`, "m"));
      expect(result.stdout).toContain(`  ${join(out, backend)}\n`);
    }
    expect(result.stdout).toMatch(/process peak RSS \(MB\)/);
  });

  it("run --backend all with expect: bounds: the ✓/✗ and not-checked lines fit too", () => {
    const config = writeConfig(`${small}expect:\n  valid_accuracy: { min: 0.05 }\n  valid_loss: { max: 100 }\n`);
    const checked = cli(["run", config, "--backend", "all", "--out", join(tempDir(), "checked"), "-q"], env);
    expect(checked.status).toBe(0);
    expect(checked.stdout).toMatch(/✓ expect autograd: valid_accuracy ≥ 0\.05/);
    expect(overflowing(checked.stdout, width)).toEqual([]);
    const unchecked = cli(["run", config, "--backend", "all", "--no-expect", "--out", join(tempDir(), "unchecked"), "-q"], env);
    expect(unchecked.status).toBe(0);
    expect(unchecked.stdout).toMatch(/– expect autograd: valid_accuracy ≥ 0\.05: not checked/);
    expect(overflowing(unchecked.stdout, width)).toEqual([]);
  });

  it("check: the report's tables and lines", () => {
    const result = cli(["check", writeConfig(small), "--steps", "2"], env);
    expect(result.status).toBe(0);
    expect(overflowing(result.stdout, width)).toEqual([]);
    expect(overflowing(result.stderr, width)).toEqual([]);
    expect(result.stdout).toMatch(/^PASS: /m);
  });

  it("sweep: the progress lines, the results table and --plan's table", () => {
    const config = writeConfig(`${small}sweep:\n  grid:\n    optimizer.lr: [0.05, 0.1]\n    model.hidden: [[16], [32, 16]]\n`);
    const out = join(tempDir(), "sweep");
    const result = cli(["sweep", config, "--out", out, "--workers", "2"], env);
    expect(result.status).toBe(0);
    expect(overflowing(result.stdout, width)).toEqual([]);
    expect(overflowing(result.stderr, width)).toEqual([]);
    // At 60 columns the cells break over lines ("comple" / "ted") rather than overflow.
    expect(result.stdout).toMatch(width >= 80 ? /│ completed +│/ : /│ comple/);
    // The objective stays; the other columns go first, and a line says which.
    expect(result.stdout).toMatch(/valid_|valid_accuracy/);
    if (width >= 120) expect(result.stdout).not.toMatch(/not shown/);
    else expect(result.stdout).toMatch(/^not shown at \d+ columns: rank, /m);
    const plan = cli(["sweep", config, "--out", out, "--plan"], env);
    expect(plan.status).toBe(0);
    expect(overflowing(plan.stdout, width)).toEqual([]);
    expect(plan.stdout).toMatch(/│ finished +│/);
  });
});

describe("elsewhere than a terminal, without COLUMNS", () => {
  it("lays lines out for 80 columns", () => {
    const result = cli(["run", writeConfig(small), "--backend", "all", "--out", join(tempDir(), "all"), "-q"], { COLUMNS: "" });
    expect(result.status).toBe(0);
    expect(overflowing(result.stdout, 80)).toEqual([]);
    expect(result.stdout).toMatch(/process peak RSS: the crossprop process's peak when that backend had finished/);
  });
});

// util-linux `script` runs the CLI on a pseudo-terminal of the width `stty` gives it: the live bar
// shows, redrawn in place with escape sequences.
const hasScript = spawnSync("script", ["--version"]).status === 0;
const longer = "name: bar\ndata: { train_size: 3000, test_size: 100 }\ntraining: { epochs: 2, batch_size: 50, threads: 1 }\n";

/** The CLI on a terminal `columns` wide; what the terminal showed, escape sequences and all. */
function onTerminal(args: string[], columns: number, env: Record<string, string> = {}) {
  const command = `stty cols ${columns} rows 24; exec ${process.execPath} ${bin} ${args.join(" ")}`;
  const result = spawnSync("script", ["-qfec", command, "/dev/null"], { cwd: repoRoot, encoding: "utf8", timeout: 60_000, env: { ...process.env, NO_COLOR: "", ...env } });
  return { status: result.status, screen: result.stdout };
}

/** Each state of each line: split where the cursor goes back (\r, \n, cursor restore), other escape sequences removed. */
const drawn = (screen: string) =>
  screen
    .replace(/\x1b[78]|\x1b\[1G/g, "\n")
    .replace(/\x1b\[[0-9;?]*[A-Za-z]/g, "")
    .split(/\r\n|\r|\n/);

describe.skipIf(!hasScript)("on a terminal", () => {
  it.each([80, 120, 60])("at %i columns the live bar shows the run's elapsed time beside its ETA, and no line is wider", (columns) => {
    const { status, screen } = onTerminal(["run", writeConfig(longer), "--out", join(tempDir(), "run")], columns);
    expect(status).toBe(0);
    const lines = drawn(screen);
    const bars = lines.filter((line) => /elapsed, ETA/.test(line));
    expect(bars.length).toBeGreaterThan(0);
    for (const bar of bars) expect(bar).toMatch(/\d+\/\d+ \| (loss [\d.e+-]+ \| )?.*\d+(s|m\d\ds|h\d\dm) elapsed, ETA (\d+(s|m\d\ds|h\d\dm)|–)$/);
    if (columns >= 80) expect(bars.some((bar) => /^manual epoch 1\/2 █*░* \d+\/60 \| loss /.test(bar))).toBe(true);
    expect(lines.filter((line) => displayWidth(line) > columns)).toEqual([]);
  });

  it.each([
    ["NO_COLOR=1", [], { NO_COLOR: "1" }],
    ["--no-color", ["--no-color"], {}],
  ] as const)("with %s: no escape sequence at all, the epoch lines as in a log", (_name, flag, env) => {
    const { status, screen } = onTerminal(["run", writeConfig(longer), "--out", join(tempDir(), "run"), ...flag], 80, env);
    expect(status).toBe(0);
    expect(screen).not.toContain("\x1b");
    expect(screen).toMatch(/^epoch 2\/2 +train_loss/m);
  });

  it("without them the same run does write escape sequences (the bar, the hidden cursor)", () => {
    const { screen } = onTerminal(["run", writeConfig(longer), "--out", join(tempDir(), "run")], 80);
    expect(screen).toContain("\x1b[?25l");
  });

  it("sweep --no-color: no escape sequence from the sweep's bar either", () => {
    const config = writeConfig(`${small}sweep:\n  grid:\n    optimizer.lr: [0.05, 0.1]\n`);
    const { status, screen } = onTerminal(["sweep", config, "--out", join(tempDir(), "sweep"), "--workers", "1", "--no-color"], 80);
    expect(status).toBe(0);
    expect(screen).not.toContain("\x1b");
    expect(screen).toMatch(/\[2\/2\] ✓ #\d/);
  });
});
