import { closeSync, openSync, readFileSync, rmSync, writeSync } from "node:fs";
import { join } from "node:path";
import { UserError } from "@crossprop/core";
import { ioReason } from "./output-path.ts";

/** The lock file in a run directory: the pid of the run writing there. */
export const LOCK_FILE = ".lock";

/** Locks this process holds, released on exit however it ends (a kill -9 leaves a stale one). */
const held = new Set<RunLock>();
let exitHandler = false;

/**
 * An exclusive claim on a run directory: `.lock`, created only if absent (the `wx` flag), holding
 * the pid. A second writer is refused; a lock whose pid is no longer running is taken over.
 */
export class RunLock {
  private released = false;

  private constructor(readonly file: string) {}

  /**
   * Takes the lock of `dir` (which exists), or throws a UserError (exit 2) naming the run holding
   * it. `note` hears about a stale lock taken over.
   */
  static acquire(dir: string, label: string, note: (message: string) => void): RunLock {
    const file = join(dir, LOCK_FILE);
    let tookOver = false;
    for (let attempt = 0; !create(file, (reason) => new UserError(`${label} ${dir}: ${reason}`)); attempt++) {
      const pid = holder(file);
      if (typeof pid === "number" && isRunning(pid)) {
        throw new UserError(`${label} ${dir} is in use by another crossprop run (pid ${pid}); wait for it to finish, or remove ${file} if no run is writing there`);
      }
      // Two runs taking over one stale lock at once: the loser's next create fails and it sees the winner.
      if (attempt >= 3 || (tookOver && pid !== "gone")) throw new UserError(`${label} ${dir}: could not take the lock ${file}`);
      if (pid === "gone") continue; // released meanwhile
      note(`${label} ${dir}: taking over the lock of ${pid === "none" ? "a run that left no pid in it" : `pid ${pid}, which is no longer running`}`);
      rmSync(file, { force: true });
      tookOver = true;
    }
    const lock = new RunLock(file);
    held.add(lock);
    if (!exitHandler) {
      exitHandler = true;
      process.on("exit", () => {
        for (const each of held) each.release();
      });
    }
    return lock;
  }

  release(): void {
    if (this.released) return;
    this.released = true;
    held.delete(this);
    rmSync(this.file, { force: true });
  }
}

function create(file: string, refuse: (reason: string) => UserError): boolean {
  let fd: number;
  try {
    fd = openSync(file, "wx");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw refuse(ioReason(error));
  }
  try {
    writeSync(fd, `${process.pid}\n`);
  } finally {
    closeSync(fd);
  }
  return true;
}

/**
 * The pid in a lock file; "none" if it holds none (a lock just created may not hold it yet, so an
 * empty one is read twice), "gone" if the file was released meanwhile.
 */
function holder(file: string): number | "none" | "gone" {
  for (let read = 0; read < 2; read++) {
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch {
      return "gone";
    }
    const pid = Number(text.trim());
    if (Number.isInteger(pid) && pid > 0) return pid;
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
  }
  return "none";
}

/** Signal 0 tests for a process without touching it: ESRCH = gone; EPERM = alive, another user's. */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
