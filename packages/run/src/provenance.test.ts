import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { gitState, provenance, readHead } from "./provenance.ts";

const temp = () => mkdtempSync(join(tmpdir(), "crossprop-provenance-"));
const SHA = "0123456789abcdef0123456789abcdef01234567";
const OTHER = "89abcdef0123456789abcdef0123456789abcdef";
const schemaFile = (path: string) => JSON.parse(readFileSync(new URL(`../../${path}`, import.meta.url), "utf8")) as Record<string, any>;

/** A `.git` directory made by hand: HEAD and whichever refs the case needs. */
function fakeGit(files: Record<string, string>): string {
  const root = temp();
  for (const [path, text] of Object.entries(files)) {
    const file = join(root, ".git", path);
    mkdirSync(join(file, ".."), { recursive: true });
    writeFileSync(file, text);
  }
  return root;
}

describe("readHead", () => {
  it("follows HEAD to a loose ref", () => {
    expect(readHead(fakeGit({ HEAD: "ref: refs/heads/main\n", "refs/heads/main": `${SHA}\n` }))).toEqual({ commit: SHA, branch: "main" });
  });

  it("finds a packed ref when there is no loose one", () => {
    const root = fakeGit({ HEAD: "ref: refs/heads/topic\n", "packed-refs": `# pack-refs with: peeled fully-peeled sorted\n${OTHER} refs/heads/main\n${SHA} refs/heads/topic\n` });
    expect(readHead(root)).toEqual({ commit: SHA, branch: "topic" });
  });

  it("reads a detached HEAD as a commit without a branch", () => {
    expect(readHead(fakeGit({ HEAD: `${SHA}\n` }))).toEqual({ commit: SHA, branch: null });
  });

  it("gives a fresh repository's unborn branch no commit", () => {
    expect(readHead(fakeGit({ HEAD: "ref: refs/heads/main\n" }))).toEqual({ commit: null, branch: "main" });
  });

  it("follows a worktree's .git file to its gitdir, and the refs to the common directory", () => {
    const main = fakeGit({ HEAD: "ref: refs/heads/main\n", "refs/heads/feature": `${SHA}\n`, "worktrees/wt/HEAD": "ref: refs/heads/feature\n", "worktrees/wt/commondir": "../..\n" });
    const worktree = temp();
    writeFileSync(join(worktree, ".git"), `gitdir: ${join(main, ".git", "worktrees", "wt")}\n`);
    expect(readHead(worktree)).toEqual({ commit: SHA, branch: "feature" });
  });

  it("is null, not an error, for garbage", () => {
    expect(readHead(fakeGit({ HEAD: "not a ref\n" }))).toEqual({ commit: null, branch: null });
    const root = temp();
    writeFileSync(join(root, ".git"), "nonsense\n");
    expect(readHead(root)).toEqual({ commit: null, branch: null });
  });
});

describe("gitState", () => {
  it("is all null outside a checkout", () => {
    expect(gitState(temp())).toEqual({ commit: null, branch: null, dirty: null });
  });

  it("reads the commit without git, and leaves dirty null when git is missing", () => {
    const root = fakeGit({ HEAD: "ref: refs/heads/main\n", "refs/heads/main": `${SHA}\n` });
    mkdirSync(join(root, "sub", "deeper"), { recursive: true });
    expect(gitState(join(root, "sub", "deeper"), join(root, "no-such-git"))).toEqual({ commit: SHA, branch: "main", dirty: null });
  });

  it("asks git whether tracked files changed (untracked ones do not count)", () => {
    const root = temp();
    const git = (...args: string[]) => spawnSync("git", ["-C", root, "-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false", ...args], { encoding: "utf8" });
    if (git("init", "-q", "-b", "main").status !== 0) return; // no git on this machine: the case above covers it
    writeFileSync(join(root, "a.txt"), "one\n");
    git("add", "a.txt");
    expect(git("commit", "-q", "-m", "first").status).toBe(0);
    const commit = git("rev-parse", "HEAD").stdout.trim();
    writeFileSync(join(root, "untracked.txt"), "new\n");
    expect(gitState(root)).toEqual({ commit, branch: "main", dirty: false });
    writeFileSync(join(root, "a.txt"), "two\n");
    expect(gitState(root)).toEqual({ commit, branch: "main", dirty: true });
  });
});

describe("provenance", () => {
  const started = new Date("2026-01-02T03:04:05.678Z");

  it("records the command as passed in, the times in UTC, versions and the machine", () => {
    const made = provenance({ invocation: { argv: ["run", "a.yaml", "--set", "x=1"], cwd: "/somewhere" }, startedAt: started, finishedAt: new Date("2026-01-02T03:05:00Z"), backends: [{ backend: "manual", engine: "manual-wasm" }], threads: 2 });
    expect(made.command).toEqual({ argv: ["run", "a.yaml", "--set", "x=1"], cwd: "/somewhere" });
    expect(made.started_at).toBe("2026-01-02T03:04:05.678Z");
    expect(made.finished_at).toBe("2026-01-02T03:05:00.000Z");
    expect(made.packages["@crossprop/run"]).toBe(schemaFile("run/package.json").version);
    expect(Object.keys(made.packages)).toContain("@crossprop/cli");
    expect(made.packages.node).toBeUndefined();
    expect(made.node).toBe(process.versions.node);
    expect(made.cpu).toEqual({ model: cpus()[0]!.model.trim(), count: cpus().length });
    expect(made.os.platform).toBe(process.platform);
    expect(made.threads).toBe(2);
    expect(made.tfjs).toBeNull();
  });

  it("has no command or finish time when none is given", () => {
    const made = provenance({ startedAt: started, backends: [], threads: null });
    expect(made.command).toBeNull();
    expect(made.finished_at).toBeNull();
    expect(made.threads).toBeNull();
  });

  it("names tfjs's version and the engines that computed when tfjs took part", () => {
    const made = provenance({ startedAt: started, backends: [{ backend: "manual", engine: "manual-wasm" }, { backend: "tfjs", engine: "tfjs-wasm" }, { backend: "tfjs", engine: "tfjs-cpu" }], threads: 1 });
    expect(made.tfjs?.engines).toEqual(["tfjs-wasm", "tfjs-cpu"]);
    expect(Object.keys(made.tfjs?.versions ?? {}).sort()).toEqual(["@tensorflow/tfjs", "@tensorflow/tfjs-backend-wasm"]);
    expect(made.tfjs?.versions["@tensorflow/tfjs"]).toMatch(/^\d+\.\d+\.\d+/);
  });

  it("has every key the schema requires, and the check and sweep schemas carry the same definition", () => {
    const { $schema, $id, title, ...definition } = schemaFile("run/schema/provenance.schema.json");
    const made = provenance({ startedAt: started, backends: [], threads: 1 });
    expect(Object.keys(made).sort()).toEqual([...definition.required].sort());
    expect(schemaFile("check/schema/check-report.schema.json").definitions.provenance).toEqual(definition);
    expect(schemaFile("sweep/schema/sweep-results.schema.json").definitions.provenance).toEqual(definition);
  });
});
