import { mkdirSync, realpathSync, rmdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, resolve, sep } from "node:path";
import { UserError } from "@crossprop/core";

/**
 * Output paths are created and probed before any training, so a bad one is refused in a second
 * (exit 2) instead of after the work; a write that fails later is one line, exit 1.
 */

/** Kernel file systems: Node's recursive mkdir loops forever under /proc, and nothing belongs there. */
const KERNEL_ROOTS = ["/proc", "/sys", "/dev"];

/** The reason of a failed file operation in words ("no space left on device"), from its errno code. */
export function ioReason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  const words: Record<string, string> = {
    ENOSPC: "no space left on device",
    EDQUOT: "disk quota exceeded",
    EROFS: "read-only file system",
    EACCES: "permission denied",
    EPERM: "operation not permitted",
    ENAMETOOLONG: "name too long",
    ENOTDIR: "a part of the path is a file, not a directory",
    EISDIR: "is a directory",
    EEXIST: "already exists",
    ENOENT: "no such file or directory",
    ELOOP: "too many levels of symbolic links",
    EIO: "input/output error",
    EFBIG: "file too large",
  };
  if (code && words[code]) return words[code]!;
  // Node's messages read "ECODE: words, syscall 'path'": keep the words.
  const message = error instanceof Error ? error.message : String(error);
  return /^[A-Z]+: ([^,]+)/.exec(message)?.[1] ?? message;
}

/** True for errors the machine causes (a full or read-only disk), not crossprop. */
export function isIoError(error: unknown): error is NodeJS.ErrnoException {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return typeof code === "string" && ["ENOSPC", "EDQUOT", "EROFS", "EACCES", "EPERM", "ENAMETOOLONG", "EIO", "EFBIG"].includes(code);
}

/** A write that failed after the outputs were probed (the disk filled mid-run): the run failed, exit 1. */
export class OutputWriteError extends UserError {
  constructor(
    readonly file: string,
    readonly reason: string,
  ) {
    super(`cannot write ${file}: ${reason}`, 1);
    this.name = "OutputWriteError";
  }
}

/** Runs `write`; an I/O error becomes an OutputWriteError naming `file` (anything else passes through). */
export function writingTo<T>(file: string, write: () => T): T {
  try {
    return write();
  } catch (error) {
    if (isIoError(error)) throw new OutputWriteError(file, ioReason(error));
    throw error;
  }
}

/**
 * Makes sure `path` is a directory crossprop can write into: every ancestor is walked (and each
 * missing one made, non-recursively), non-directories and kernel file systems are refused, and a
 * small probe file is written and removed. Throws a UserError (exit 2) `<label> <path>: <reason>`,
 * leaving no directory it made. Returns the absolute path.
 */
export function prepareDirectory(path: string, label: string): string {
  const absolute = resolve(path);
  walk(absolute, absolute, (reason) => new UserError(`${label} ${path}: ${reason}`));
  return absolute;
}

/**
 * Makes sure crossprop can write the file `path` (whole, by a temporary sibling and a rename):
 * its directory is prepared as above, and `path` itself is not a directory.
 */
export function prepareFile(path: string, label: string): string {
  const absolute = resolve(path);
  const refuse = (reason: string) => new UserError(`${label} ${path}: ${reason}`);
  walk(dirname(absolute), absolute, refuse);
  let isDirectory = false;
  try {
    isDirectory = statSync(absolute).isDirectory();
  } catch {
    // absent: it will be created
  }
  if (isDirectory) throw refuse("is a directory");
  return absolute;
}

/** Prepares the directory `dir`; messages name an ancestor unless it is `target` itself. */
function walk(dir: string, target: string, refuse: (reason: string) => UserError): void {
  const ancestors: string[] = [];
  for (let at = dir; ; at = dirname(at)) {
    ancestors.unshift(at);
    if (dirname(at) === at) break;
  }
  const made: string[] = [];
  try {
    for (const at of ancestors) {
      const what = at === target ? "is" : `${at} is`;
      const kernel = kernelRoot(at);
      if (kernel) throw refuse(`${kernel} is a kernel file system, not a place for output`);
      let isDirectory: boolean;
      try {
        isDirectory = statSync(at).isDirectory();
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw refuse(ioReason(error));
        if (makeOne(at, refuse)) made.push(at);
        continue;
      }
      if (!isDirectory) throw refuse(`${what} a file, not a directory`);
      // A symbolic link into /proc is /proc.
      const real = kernelRoot(realpathSync(at));
      if (real) throw refuse(`${what} inside ${real}, a kernel file system, not a place for output`);
    }
    probe(dir, refuse);
  } catch (error) {
    for (const at of made.reverse()) removeEmpty(at);
    throw error;
  }
}

/** mkdir of one level; false when someone else made it at the same moment. */
function makeOne(dir: string, refuse: (reason: string) => UserError): boolean {
  try {
    mkdirSync(dir);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EEXIST" && statSync(dir).isDirectory()) return false;
    throw refuse(ioReason(error));
  }
}

/** A page-sized file: a disk with no room for one page is full for any run. */
function probe(dir: string, refuse: (reason: string) => UserError): void {
  const file = `${dir}${sep}.crossprop-probe-${process.pid}`;
  try {
    writeFileSync(file, new Uint8Array(4096));
  } catch (error) {
    rmSync(file, { force: true });
    throw refuse(ioReason(error));
  }
  rmSync(file, { force: true });
}

function removeEmpty(dir: string): void {
  try {
    rmdirSync(dir);
  } catch {
    // not empty (someone else's now) or already gone: leave it
  }
}

function kernelRoot(absolute: string): string | null {
  return KERNEL_ROOTS.find((root) => absolute === root || absolute.startsWith(`${root}/`)) ?? null;
}
