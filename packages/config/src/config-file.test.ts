import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { CONFIG_SIZE_LIMIT, readConfigText } from "./config-file.ts";
import { ConfigError } from "./errors.ts";

const dir = mkdtempSync(join(tmpdir(), "crossprop-config-file-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The message readConfigText refuses `path` with. */
function refusal(path: string): string {
  try {
    readConfigText(path);
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error("expected a ConfigError");
}

describe("readConfigText", () => {
  it("reads a regular file, also through a symlink", () => {
    writeFileSync(join(dir, "ok.yaml"), "name: run\n");
    symlinkSync(join(dir, "ok.yaml"), join(dir, "link.yaml"));
    expect(readConfigText(join(dir, "ok.yaml"))).toBe("name: run\n");
    expect(readConfigText(join(dir, "link.yaml"))).toBe("name: run\n");
  });

  it("refuses a directory, a FIFO and /dev/zero at once, naming what they are", () => {
    expect(refusal(dir)).toBe(`${dir}: cannot read the config file: it is a directory, not a regular file`);
    const fifo = join(dir, "fifo.yaml");
    execFileSync("mkfifo", [fifo]);
    const started = Date.now();
    expect(refusal(fifo)).toBe(`${fifo}: cannot read the config file: it is a FIFO (named pipe), not a regular file`);
    expect(Date.now() - started).toBeLessThan(1000); // opened non-blocking: no writer is waited for
    symlinkSync("/dev/zero", join(dir, "zero.yaml"));
    expect(refusal(join(dir, "zero.yaml"))).toBe(`${join(dir, "zero.yaml")}: cannot read the config file: it is a character device, not a regular file`);
  });

  it(`refuses a file over ${CONFIG_SIZE_LIMIT / 1e6} MB before reading it`, () => {
    const big = join(dir, "big.yaml");
    writeFileSync(big, `name: run\n#${"x".repeat(CONFIG_SIZE_LIMIT)}\n`);
    expect(refusal(big)).toBe(`${big}: cannot read the config file: it is 1,000,012 bytes, more than the 1,000,000 bytes (1 MB) a config may be`);
  });

  it("names a missing file and a symlink loop apart", () => {
    expect(refusal(join(dir, "nope.yaml"))).toBe(`${join(dir, "nope.yaml")}: cannot read the config file: no such file`);
    symlinkSync(join(dir, "loop-b.yaml"), join(dir, "loop-a.yaml"));
    symlinkSync(join(dir, "loop-a.yaml"), join(dir, "loop-b.yaml"));
    expect(refusal(join(dir, "loop-a.yaml"))).toBe(`${join(dir, "loop-a.yaml")}: cannot read the config file: too many levels of symbolic links (a symlink loop)`);
  });
});
