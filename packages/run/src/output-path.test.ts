import { existsSync, mkdtempSync, readdirSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { UserError } from "@crossprop/core";
import { describe, expect, it } from "vitest";
import { ioReason, isIoError, OutputWriteError, prepareDirectory, prepareFile, writingTo } from "./output-path.ts";

const temp = () => mkdtempSync(join(tmpdir(), "crossprop-output-path-"));

/** The UserError `run` throws, or fails the test. */
function refusal(run: () => unknown): UserError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(UserError);
    return error as UserError;
  }
  throw new Error("expected a refusal");
}

describe("prepareDirectory", () => {
  it("makes every missing level and leaves no probe behind", () => {
    const root = temp();
    const out = join(root, "a", "b", "c");
    expect(prepareDirectory(out, "--out")).toBe(out);
    expect(readdirSync(out)).toEqual([]);
  });

  it("accepts an existing directory, keeping what is in it", () => {
    const root = temp();
    writeFileSync(join(root, "notes.txt"), "mine");
    prepareDirectory(root, "--out");
    expect(readdirSync(root)).toEqual(["notes.txt"]);
  });

  it("refuses a file, naming it", () => {
    const file = join(temp(), "file");
    writeFileSync(file, "");
    const error = refusal(() => prepareDirectory(file, "--out"));
    expect(error.message).toBe(`--out ${file}: is a file, not a directory`);
    expect(error.exitCode).toBe(2);
  });

  it("refuses a path under a file, naming the file, and makes nothing", () => {
    const root = temp();
    const file = join(root, "file");
    writeFileSync(file, "");
    expect(refusal(() => prepareDirectory(join(file, "run", "deeper"), "--out")).message).toBe(`--out ${join(file, "run", "deeper")}: ${file} is a file, not a directory`);
    expect(readdirSync(root)).toEqual(["file"]);
  });

  it("refuses /proc, /sys and /dev at once (Node's recursive mkdir loops forever under /proc)", () => {
    for (const path of ["/proc/self/run", "/proc", "/sys/run", "/dev/shm/run"]) {
      const root = path.split("/")[1];
      expect(refusal(() => prepareDirectory(path, "--out")).message).toBe(`--out ${path}: /${root} is a kernel file system, not a place for output`);
    }
  });

  it("refuses a symbolic link into /proc", () => {
    const link = join(temp(), "link");
    symlinkSync("/proc/self", link);
    expect(refusal(() => prepareDirectory(join(link, "run"), "--out")).message).toBe(`--out ${join(link, "run")}: ${link} is inside /proc, a kernel file system, not a place for output`);
  });

  it("refuses a name too long for the file system", () => {
    const path = join(temp(), "n".repeat(300));
    expect(refusal(() => prepareDirectory(path, "--out")).message).toBe(`--out ${path}: name too long`);
  });

  it("removes the levels it made when a deeper one fails", () => {
    const root = temp();
    const path = join(root, "made", "n".repeat(300));
    refusal(() => prepareDirectory(path, "--out"));
    expect(existsSync(join(root, "made"))).toBe(false);
  });
});

describe("prepareFile", () => {
  it("makes the file's directory and leaves the file absent", () => {
    const file = join(temp(), "reports", "check.json");
    prepareFile(file, "--json");
    expect(existsSync(file)).toBe(false);
    expect(existsSync(join(file, ".."))).toBe(true);
  });

  it("refuses a directory", () => {
    const dir = temp();
    expect(refusal(() => prepareFile(dir, "--json")).message).toBe(`--json ${dir}: is a directory`);
  });

  it("refuses a file under a file", () => {
    const file = join(temp(), "file");
    writeFileSync(file, "");
    expect(refusal(() => prepareFile(join(file, "check.json"), "--json")).message).toBe(`--json ${join(file, "check.json")}: ${file} is a file, not a directory`);
  });
});

describe("I/O errors mid-run", () => {
  const enospc = Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC" });

  it("names the reason in words", () => {
    expect(ioReason(enospc)).toBe("no space left on device");
    expect(ioReason(Object.assign(new Error("EROFS: read-only file system, open '/x'"), { code: "EROFS" }))).toBe("read-only file system");
    expect(ioReason(Object.assign(new Error("EXDEV: cross-device link not permitted, rename 'a' -> 'b'"), { code: "EXDEV" }))).toBe("cross-device link not permitted");
  });

  it("become an OutputWriteError (exit 1) naming the file; other errors pass through", () => {
    const error = refusal(() =>
      writingTo("/run/final.safetensors", () => {
        throw enospc;
      }),
    );
    expect(error).toBeInstanceOf(OutputWriteError);
    expect([error.message, error.exitCode]).toEqual(["cannot write /run/final.safetensors: no space left on device", 1]);
    const bug = new TypeError("a bug");
    expect(() =>
      writingTo("/x", () => {
        throw bug;
      }),
    ).toThrow(bug);
    expect(isIoError(bug)).toBe(false);
    expect(isIoError(enospc)).toBe(true);
  });
});
