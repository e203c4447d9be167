import { closeSync, constants, fstatSync, openSync, readSync } from "node:fs";
import { fileKind } from "@crossprop/core";
import { ConfigError } from "./errors.ts";

/** A config is a few kB; anything past this is not one (and /dev/zero would never end). */
export const CONFIG_SIZE_LIMIT = 1_000_000;

/**
 * The text of a config file, read only if it is a regular file of at most CONFIG_SIZE_LIMIT bytes.
 * Opened non-blocking, so a FIFO is refused at once instead of waiting for a writer; the size is
 * checked on the open file (a symlink is followed) and again while reading (the file may grow).
 */
export function readConfigText(file: string): string {
  const refuse = (reason: string) => new ConfigError([{ path: "", origin: file, message: `cannot read the config file: ${reason}` }]);
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    throw refuse(readFailure(error));
  }
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) throw refuse(`it is ${fileKind(stats)}, not a regular file`);
    const limit = `${CONFIG_SIZE_LIMIT.toLocaleString("en-US")} bytes (1 MB) a config may be`;
    const tooBig = (size: string) => refuse(`it ${size} more than the ${limit}`);
    if (stats.size > CONFIG_SIZE_LIMIT) throw tooBig(`is ${stats.size.toLocaleString("en-US")} bytes,`);
    const buffer = Buffer.alloc(CONFIG_SIZE_LIMIT + 1);
    let length = 0;
    for (let read = -1; read !== 0 && length < buffer.length; length += read) {
      read = readSync(fd, buffer, length, buffer.length - length, null);
    }
    if (length > CONFIG_SIZE_LIMIT) throw tooBig("holds");
    return buffer.toString("utf8", 0, length);
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    throw refuse(readFailure(error));
  } finally {
    closeSync(fd);
  }
}

function readFailure(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "ENOENT") return "no such file";
  if (code === "EISDIR") return "it is a directory";
  if (code === "EACCES") return "permission denied";
  if (code === "ELOOP") return "too many levels of symbolic links (a symlink loop)";
  if (code === "ENOTDIR") return "a part of the path is not a directory";
  return error instanceof Error ? error.message : String(error);
}
