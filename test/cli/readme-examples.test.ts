import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { repoRoot } from "./helpers.ts";

// Every command in README.md's ```sh blocks must exit 0 exactly as written: a newcomer copies them.
// Only the README: the pages in docs/ are reference, and their examples include full-length
// benchmarks and commands shown precisely because they exit 1.
//
// Each line of a sh block is either a crossprop command (`pnpm crossprop …`, `crossprop …` or
// `npx -y pnpm@… crossprop …`), run here through the real CLI with node started as the root
// package.json's `crossprop` script starts it, or listed in SKIPPED with its reason — a line that is
// neither fails, so no example escapes unnoticed. The commands run in order, in one temporary
// working directory holding a link to the repo's configs/, so their relative paths resolve as in the
// checkout and everything they write (runs/, check.json, sweep directories) lands there, not in it.

/** Lines of the README's sh blocks that are not run here, each with why. */
const SKIPPED: Record<string, string> = {
  "npx -y -p pnpm@10.34.9 -c 'pnpm install && exec pnpm crossprop run configs/mlp.yaml'":
    "installs the workspace (network, minutes); the training it ends in is the README's `pnpm crossprop run configs/mlp.yaml`, run here",
  "npx -y pnpm@10.34.9 install --frozen-lockfile && npx -y pnpm@10.34.9 test":
    "installs and runs the whole test suite, this file included; .ci/run runs it",
};

/** Whole budget: the README's examples are chosen to be cheap as written. */
const BUDGET_MS = 90_000;

const readme = readFileSync(join(repoRoot, "README.md"), "utf8");

/** The lines of every ```sh block, `\`-continuations joined, comments and blank lines dropped. */
function shellLines(markdown: string): string[] {
  const lines: string[] = [];
  for (const block of markdown.matchAll(/^```sh\n([\s\S]*?)^```$/gm)) {
    const joined = block[1]!.replace(/\\\n\s*/g, " ");
    for (const line of joined.split("\n")) {
      const code = stripComment(line).trim();
      if (code !== "") lines.push(code);
    }
  }
  return lines;
}

/** The line without a trailing `# comment` (a `#` that starts an unquoted word). */
function stripComment(line: string): string {
  let quote: string | null = null;
  for (let i = 0; i < line.length; i++) {
    const char = line[i]!;
    if (quote !== null) {
      if (char === quote) quote = null;
    } else if (char === "'" || char === '"') quote = char;
    else if (char === "#" && (i === 0 || /\s/.test(line[i - 1]!))) return line.slice(0, i);
  }
  return line;
}

/** Shell words: whitespace-separated, with '…' and "…" quoting (all the README uses). */
function words(line: string): string[] {
  const result: string[] = [];
  for (const match of line.matchAll(/'([^']*)'|"([^"]*)"|(\S+)/g)) result.push(match[1] ?? match[2] ?? match[3]!);
  return result;
}

/** The arguments after `crossprop` if the line is a crossprop command, else null. */
function crossPropArgs(line: string): string[] | null {
  const argv = words(line);
  if (/[|&;<>$`]/.test(line)) return null; // pipes, redirections, variables: not a plain command
  if (argv[0] === "crossprop") return argv.slice(1);
  if (argv[0] === "pnpm" && argv[1] === "crossprop") return argv.slice(2);
  if (argv[0] === "npx" && argv[1] === "-y" && /^pnpm@/.test(argv[2] ?? "") && argv[3] === "crossprop") return argv.slice(4);
  return null;
}

/** node's flags as the root package.json's `crossprop` script gives them (`exec node FLAGS bin`). */
function nodeFlags(): string[] {
  const script: string = JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")).scripts.crossprop;
  const match = /^exec node (.*?)\s*packages\/cli\/bin\/crossprop\.js$/.exec(script);
  if (!match) throw new Error(`package.json's crossprop script changed shape: ${script}`);
  return match[1]!.split(/\s+/).filter((flag) => flag !== "");
}

const lines = shellLines(readme);
const commands = lines.filter((line) => !(line in SKIPPED));
const cwd = mkdtempSync(join(tmpdir(), "crossprop-readme-"));
symlinkSync(join(repoRoot, "configs"), join(cwd, "configs"));
const rootEntries = readdirSync(repoRoot).sort();
const started = Date.now();
const env: NodeJS.ProcessEnv = { ...process.env, INIT_CWD: cwd };
delete env.GITHUB_STEP_SUMMARY; // a sweep would append its summary to the CI job's page

afterAll(() => rmSync(cwd, { recursive: true, force: true }));

describe("README.md's examples", () => {
  it("are found, and every line of a sh block is a crossprop command or skipped with a reason", () => {
    expect(commands.length).toBeGreaterThanOrEqual(3);
    for (const line of Object.keys(SKIPPED)) expect(lines, `SKIPPED lists a line the README no longer has: ${line}`).toContain(line);
    for (const line of commands) expect(crossPropArgs(line), `not a crossprop command; write it as one or add it to SKIPPED: ${line}`).not.toBeNull();
  });

  for (const line of commands) {
    const args = crossPropArgs(line);
    if (args === null) continue;
    it(`exits 0: ${line}`, { timeout: BUDGET_MS }, () => {
      const remaining = BUDGET_MS - (Date.now() - started);
      expect(remaining, "the README's examples together exceed the test's budget").toBeGreaterThan(0);
      const result = spawnSync(process.execPath, [...nodeFlags(), join(repoRoot, "packages/cli/bin/crossprop.js"), ...args], {
        cwd,
        env,
        encoding: "utf8",
        timeout: remaining,
      });
      expect(result.error, "timed out or could not start").toBeUndefined();
      expect(result.stderr).not.toMatch(/\n\s+at |internal error/);
      expect(result.status, `stderr:\n${result.stderr}\nstdout (end):\n${result.stdout.slice(-2000)}`).toBe(0);
    });
  }

  it("leave nothing in the checkout", () => {
    expect(readdirSync(repoRoot).sort()).toEqual(rootEntries);
    expect(existsSync(join(cwd, "configs"))).toBe(true);
  });
});
