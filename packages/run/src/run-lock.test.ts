import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { UserError } from "@crossprop/core";
import { describe, expect, it } from "vitest";
import { LOCK_FILE, RunLock } from "./run-lock.ts";

const temp = () => mkdtempSync(join(tmpdir(), "crossprop-run-lock-"));
const quiet = () => {};

/** A pid that was running a moment ago and is not now. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" });
  return Number(child.stdout);
}

describe("RunLock", () => {
  it("holds the pid in .lock and removes it on release", () => {
    const dir = temp();
    const lock = RunLock.acquire(dir, "run directory", quiet);
    expect(readFileSync(join(dir, LOCK_FILE), "utf8")).toBe(`${process.pid}\n`);
    lock.release();
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
    lock.release(); // twice is harmless
  });

  it("refuses a second writer while the first holds it (exit 2), then lets it in", () => {
    const dir = temp();
    const first = RunLock.acquire(dir, "run directory", quiet);
    let refused: unknown;
    try {
      RunLock.acquire(dir, "run directory", quiet);
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(UserError);
    expect((refused as UserError).exitCode).toBe(2);
    expect((refused as UserError).message).toBe(
      `run directory ${dir} is in use by another crossprop run (pid ${process.pid}); wait for it to finish, or remove ${join(dir, LOCK_FILE)} if no run is writing there`,
    );
    first.release();
    RunLock.acquire(dir, "run directory", quiet).release();
  });

  it("takes over a lock whose pid is no longer running, with a note", () => {
    const dir = temp();
    const pid = deadPid();
    writeFileSync(join(dir, LOCK_FILE), `${pid}\n`);
    const notes: string[] = [];
    const lock = RunLock.acquire(dir, "run directory", (note) => notes.push(note));
    expect(notes).toEqual([`run directory ${dir}: taking over the lock of pid ${pid}, which is no longer running`]);
    expect(readFileSync(join(dir, LOCK_FILE), "utf8")).toBe(`${process.pid}\n`);
    lock.release();
  });

  it("takes over a lock that holds no pid (a run killed as it took it)", () => {
    const dir = temp();
    writeFileSync(join(dir, LOCK_FILE), "");
    const notes: string[] = [];
    RunLock.acquire(dir, "run directory", (note) => notes.push(note)).release();
    expect(notes).toEqual([`run directory ${dir}: taking over the lock of a run that left no pid in it`]);
  });

  it("is released when the process exits, however the run ended", () => {
    const dir = temp();
    const script = `import { RunLock } from ${JSON.stringify(new URL("./run-lock.ts", import.meta.url).pathname)};
      import { readFileSync } from "node:fs";
      RunLock.acquire(${JSON.stringify(dir)}, "run directory", () => {});
      process.stdout.write(readFileSync(${JSON.stringify(join(dir, LOCK_FILE))}, "utf8"));
      process.exitCode = 1;`;
    const child = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { encoding: "utf8", timeout: 30_000 });
    expect(child.stderr).toBe("");
    expect(child.status).toBe(1);
    expect(child.stdout).toBe(`${child.pid}\n`);
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
  });
});
