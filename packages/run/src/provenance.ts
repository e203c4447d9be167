import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { existsSync, readFileSync, statSync } from "node:fs";
import { arch, cpus, platform, release } from "node:os";
import { dirname, isAbsolute, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { backendEntry, isBackendName, type BackendName } from "@crossprop/backends";
import { packageVersions } from "./versions.ts";

/**
 * How a result was made, recorded beside it (summary.json, check --json, results.json) so a number
 * can be traced to the command, the code and the machine. Schema: packages/run/schema/provenance.schema.json.
 */
export interface Provenance {
  /** The command line as typed (after the program name) and where it ran; null when not known (a sweep's trial: results.json has it). */
  command: Invocation | null;
  started_at: string;
  /** null while the run is still going. */
  finished_at: string | null;
  /** The checkout holding crossprop's own source; every field null outside one (or without git for `dirty`). */
  git: GitState;
  /** Every workspace package (packages/*), by name. */
  packages: Record<string, string>;
  /** TensorFlow.js, when a tfjs backend took part: its packages' versions and the engines that computed. */
  tfjs: LibraryProvenance | null;
  node: string;
  cpu: { model: string; count: number };
  os: { platform: string; release: string; arch: string };
  /** Kernel threads the products were split over; null where each trial records its own (a sweep). */
  threads: number | null;
}

/** What the CLI passes in: library code never reads process.argv. */
export interface Invocation {
  argv: string[];
  cwd: string;
}

export interface GitState {
  commit: string | null;
  /** The branch HEAD points at (`main`), null when detached. */
  branch: string | null;
  /** Tracked files changed since the commit (untracked ones do not count, as `git describe --dirty`); null without git. */
  dirty: boolean | null;
}

export interface ProvenanceInput {
  invocation?: Invocation | null;
  startedAt: Date;
  finishedAt?: Date | null;
  /** The backends that took part, each with the engine that computed (null before it loaded). */
  backends: readonly { backend: string; engine: string | null }[];
  threads: number | null;
}

/** packages/ of the crossprop checkout this module runs from. */
const PACKAGES_DIR = fileURLToPath(new URL("../../", import.meta.url));

/** The provenance of a result; the git state is read once per process (spawning git at most once). */
export function provenance(input: ProvenanceInput): Provenance {
  const { node, ...packages } = packageVersions();
  const first = cpus()[0];
  return {
    command: input.invocation ? { argv: [...input.invocation.argv], cwd: input.invocation.cwd } : null,
    started_at: input.startedAt.toISOString(),
    finished_at: input.finishedAt ? input.finishedAt.toISOString() : null,
    git: cachedGitState(),
    packages,
    tfjs: tfjsProvenance(input.backends),
    node: node ?? process.versions.node,
    cpu: { model: first?.model.trim() ?? "unknown", count: cpus().length },
    os: { platform: platform(), release: release(), arch: arch() },
    threads: input.threads,
  };
}

let gitCache: GitState | undefined;
function cachedGitState(): GitState {
  gitCache ??= gitState(dirname(PACKAGES_DIR));
  return gitCache;
}

/**
 * The git state of the checkout containing `dir`: commit and branch read from `.git` itself
 * (HEAD → ref → loose ref or packed-refs), dirty from one `git status` with a timeout.
 * Never throws: not a checkout, or git missing, gives null fields.
 */
export function gitState(dir: string, git: string | null = "git"): GitState {
  const root = checkoutRoot(dir);
  if (root === null) return { commit: null, branch: null, dirty: null };
  const head = readHead(root);
  return { ...head, dirty: head.commit === null || git === null ? null : isDirty(root, git) };
}

/** The nearest directory at or above `dir` holding `.git` (a directory, or a worktree's file). */
function checkoutRoot(dir: string): string | null {
  for (let at = resolve(dir); ; at = dirname(at)) {
    if (existsSync(join(at, ".git"))) return at;
    if (dirname(at) === at) return null;
  }
}

/** Commit and branch from the files git keeps, without running git. */
export function readHead(root: string): { commit: string | null; branch: string | null } {
  try {
    const gitDir = resolveGitDir(root);
    // A linked worktree keeps HEAD itself and its refs in the main repository (`commondir`).
    const commonDir = existsSync(join(gitDir, "commondir")) ? resolve(gitDir, readFileSync(join(gitDir, "commondir"), "utf8").trim()) : gitDir;
    const head = readFileSync(join(gitDir, "HEAD"), "utf8").trim();
    const ref = /^ref: (\S+)$/.exec(head)?.[1];
    if (ref === undefined) return { commit: isSha(head) ? head : null, branch: null };
    const branch = ref.startsWith("refs/heads/") ? ref.slice("refs/heads/".length) : ref;
    for (const base of [gitDir, commonDir]) {
      const loose = join(base, ref);
      if (existsSync(loose)) {
        const sha = readFileSync(loose, "utf8").trim();
        return { commit: isSha(sha) ? sha : null, branch };
      }
    }
    const packed = join(commonDir, "packed-refs");
    const line = existsSync(packed) ? readFileSync(packed, "utf8").split("\n").find((l) => l.endsWith(` ${ref}`)) : undefined;
    const sha = line?.split(" ")[0];
    // A branch with no commit yet (a fresh `git init`) has no ref anywhere.
    return { commit: sha !== undefined && isSha(sha) ? sha : null, branch };
  } catch {
    return { commit: null, branch: null };
  }
}

/** `.git` is the directory, or a file `gitdir: <path>` (worktrees, submodules). */
function resolveGitDir(root: string): string {
  const dotGit = join(root, ".git");
  if (statSync(dotGit).isDirectory()) return dotGit;
  const target = /^gitdir: (.+)$/m.exec(readFileSync(dotGit, "utf8"))?.[1]?.trim();
  if (!target) throw new Error("not a gitdir file");
  return isAbsolute(target) ? target : resolve(root, target);
}

const isSha = (text: string) => /^[0-9a-f]{40}([0-9a-f]{24})?$/.test(text);

/** One `git status`; --no-optional-locks so it never takes the index lock another git command may want. */
function isDirty(root: string, git: string): boolean | null {
  const result = spawnSync(git, ["--no-optional-locks", "-C", root, "status", "--porcelain", "--untracked-files=no"], {
    encoding: "utf8",
    timeout: 5000,
    stdio: ["ignore", "pipe", "ignore"],
    env: { ...process.env, GIT_OPTIONAL_LOCKS: "0" },
  });
  if (result.error || result.status !== 0) return null;
  return result.stdout.trim() !== "";
}

/** A library's installed versions and the engines of it that computed. */
export interface LibraryProvenance {
  versions: Record<string, string>;
  engines: string[];
}

/** The library a backend computes with (the registry's `library`, only tfjs has one): its packages' versions and the engines that computed. */
function tfjsProvenance(backends: ProvenanceInput["backends"]): LibraryProvenance | null {
  const used = backends.filter((b) => isBackendName(b.backend) && backendEntry(b.backend).library !== undefined);
  if (used.length === 0) return null;
  const library = backendEntry(used[0]!.backend as BackendName).library!;
  const engines = [...new Set(used.map((b) => b.engine).filter((e): e is string => e !== null))];
  const names = [...library.packages, ...engines.map((e) => library.engines[e]).filter((p): p is string => p !== undefined)];
  const versions: Record<string, string> = {};
  for (const name of names) {
    const version = installedVersion(name);
    if (version !== null) versions[name] = version;
  }
  return { versions, engines };
}

/** The version of `name` as installed for the tfjs backend (read from its package.json, not loaded). */
function installedVersion(name: string): string | null {
  try {
    const require = createRequire(join(PACKAGES_DIR, "backend-tfjs", "package.json"));
    const manifest = JSON.parse(readFileSync(require.resolve(`${name}/package.json`), "utf8")) as { version?: unknown };
    return typeof manifest.version === "string" ? manifest.version : null;
  } catch {
    return null; // not installed (tfjs-node is optional)
  }
}
