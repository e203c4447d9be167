import { readFileSync } from "node:fs";
import { UserError } from "@crossprop/core";
import { Command, CommanderError, Option } from "commander";
import { BACKEND_NAMES } from "@crossprop/backends";
import { ioReason, isIoError, type Invocation } from "@crossprop/run";
import { parseBackendList } from "./backend-list.ts";
import { setNoColor } from "./terminal.ts";
import { checkCommand } from "./commands/check.ts";
import { newBackendCommand } from "./commands/new-backend.ts";
import { reportCommand } from "./commands/report.ts";
import { runCommand } from "./commands/run.ts";
import { sweepCommand, sweepMergeCommand } from "./commands/sweep.ts";

const collect = (value: string, previous: string[]) => [...previous, value];

/** The version `--version` prints: the cli package's own. */
const CLI_VERSION = (JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string }).version;

/** `invocation`: the command line and working directory, recorded in what the commands write (provenance). */
export function buildProgram(invocation?: Invocation): Command {
  const made = invocation ? { invocation } : {};
  const program = new Command("crossprop")
    .description("Train MNIST networks from YAML configs on interchangeable backends, and cross-check them.")
    .version(CLI_VERSION)
    .showHelpAfterError("(run with --help for usage)")
    .exitOverride();

  program
    .command("run")
    .description("train a config; writes a run directory and checks the config's expect: bounds")
    .argument("<config>", "experiment config (YAML)")
    .addOption(new Option("-b, --backend <names>", `backend(s) to train on: ${BACKEND_NAMES.join(", ")}, each optionally :engine (manual:typescript), a backend module of yours (./my-backprop.ts), a comma list, or all; overrides the config's backend`))
    .option("-s, --set <path=value>", "override a config field, e.g. --set optimizer.lr=0.5 (repeatable; values are YAML)", collect, [])
    .option("-o, --out <dir>", "run directory (default runs/<name>/<backend>-<timestamp>)")
    .option("--force", "if the run directory holds another run, remove that run's files first (summary.json, final.safetensors, …) instead of refusing", false)
    .option("--resume", "continue the interrupted run in --out DIR from its last checkpoint (same config and --set; the result is byte-identical to an uninterrupted run's)", false)
    .option("--no-expect", "train without checking the config's expect: bounds (for a run shortened with --set); they are listed as not checked and do not fail the run")
    .option("-q, --quiet", "no progress output, only the final table", false)
    .option("--json <file|->", "also write the summary.json object (a list of them with several backends) to FILE, or to stdout with - (the table then goes to stderr)")
    .option("--no-report", "write no report.html in the run directory, nor in the comparison directory with several backends (crossprop report DIR builds either later)")
    .action(async (config: string, opts: { backend?: string; set: string[]; out?: string; force: boolean; resume: boolean; quiet: boolean; json?: string; expect: boolean; report: boolean }) => {
      process.exitCode = await runCommand(config, {
        ...made,
        report: opts.report,
        ...(opts.json !== undefined ? { json: opts.json } : {}),
        set: opts.set,
        noExpect: !opts.expect,
        quiet: opts.quiet,
        force: opts.force,
        resume: opts.resume,
        backends: opts.backend ? parseBackendList(opts.backend, "--backend", true) : [],
        ...(opts.out ? { out: opts.out } : {}),
      });
    });
  program
    .command("check")
    .description("train every backend from the same init on the same batches and compare them step by step, plus a finite-difference gradient check; exit 1 if any leaves tolerance")
    .argument("<config>", "experiment config (YAML)")
    .option("--backends <names>", `backends to compare: ${BACKEND_NAMES.join(", ")}, each optionally :engine, a backend module of yours (./my-backprop.ts), a comma list, or all (default: the config's check.backends, every engine of manual and autograd; a module of yours is checked beside them)`)
    .option("--steps <n>", "training steps to compare (default: check.steps, 5)")
    .option("--reference <name>", "the backend (name or name:engine) the others are compared with (default: check.reference)")
    .option("--rtol <r>", "relative tolerance for every pair (default: per pair, 1e-5 TypeScript backends, 1e-4 with tfjs)")
    .option("--atol <a>", "absolute tolerance (default: rtol × 0.2 × the tensor's largest magnitude)")
    .option("--no-sync", "let each backend run free from the shared init (default: before each step every backend gets the reference's parameters, so rounding drift does not compound)")
    .option("--json <file|->", "also write the report as JSON to FILE, or to stdout with - (the text report then goes to stderr; schema: packages/check/schema/check-report.schema.json)")
    .option("--html <file>", "also write the report as a self-contained HTML page to FILE (per-step differences against tolerance, the first divergent step, finite differences)")
    .option("-s, --set <path=value>", "override a config field (repeatable; values are YAML)", collect, [])
    .option("-q, --quiet", "no progress line", false)
    .action(async (config: string, opts: { backends?: string; steps?: string; reference?: string; rtol?: string; atol?: string; json?: string; html?: string; sync: boolean; set: string[]; quiet: boolean }) => {
      const { backends, ...rest } = opts;
      process.exitCode = await checkCommand(config, { ...rest, ...made, ...(backends ? { backends: parseBackendList(backends, "--backends", true) } : {}) });
    });
  program
    .command("new-backend")
    .description("write a starter backend of your own — forward pass given, backward pass to write, each formula in a comment — for check --backends FILE to grade (tutorial: docs/your-backprop.md)")
    .argument("<file>", "the TypeScript (or JavaScript) file to write, e.g. my-backprop.ts")
    .option("--force", "replace the file if it exists", false)
    .action((file: string, opts: { force: boolean }) => {
      process.exitCode = newBackendCommand(file, opts);
    });
  program
    .command("report")
    .description("build (or rebuild) the self-contained HTML page of a run, comparison or sweep directory or a check report (.json); with two run directories, a page comparing them (SVG charts, opens from disk)")
    .argument("<path...>", "a run directory (summary.json), comparison directory (comparison.json), sweep directory (results.json) or check report (.json); or two run directories")
    .option("-o, --out <file>", "HTML file to write (default: report.html in the directory, results.html for a sweep, FILE.html beside a check report, compare-A-vs-B.html in the current directory for two runs A and B)")
    .action(async (paths: string[], opts: { out?: string }) => {
      if (paths.length > 2) throw new UserError(`report takes one path, or two run directories to compare; got ${paths.length}`);
      process.exitCode = await reportCommand(paths, opts);
    });
  // Positional options: `sweep merge DIR --out X` gives --out to merge, not to the sweep around it.
  program.enablePositionalOptions();
  const sweep = program
    .command("sweep")
    .enablePositionalOptions()
    .description("run every trial of a config's sweep: section in parallel worker threads; writes results.json, results.csv, summary.md, junit.xml, results.html and each trial's report.html; exit 1 if a trial or expect_best fails")
    .argument("<config>", "sweep config (YAML with a sweep: section)")
    .option("--plan", "list every trial (id and parameters) without running", false)
    .option("--json <file|->", "with --plan: also write the plan's trials as JSON to FILE, or to stdout with - (the table then goes to stderr)")
    .option("-w, --workers <n>", "worker threads (default: the number of cores)")
    .option("--shard <i/n|auto>", "run only shard i of n (trials with (index − 1) mod n = i − 1), or auto: i and n from the cluster's variables (GitHub Actions via CROSSPROP_SHARD_INDEX/COUNT, Kubernetes, AWS Batch, Slurm, GitLab, CircleCI, Buildkite; docs/shards.md); join shards with `sweep merge`")
    .option("--shard-count <n>", "with --shard auto: the number of shards where the platform gives none (a Kubernetes Indexed Job's completions)")
    .option("--force", "rerun trials that already finished, instead of keeping them", false)
    .option("--fail-fast", "start no trial after the first that fails or misses its expect:", false)
    .option("--no-expect", "check neither the trials' expect: nor sweep.expect_best (listed as not checked); trial ids do not depend on them, so a rerun with the bounds re-judges the finished trials")
    .option("-o, --out <dir>", "sweep directory (default runs/<name>/sweep-<plan hash>, so a rerun resumes)")
    .option("-s, --set <path=value>", "override a config field in every trial (repeatable; values are YAML)", collect, [])
    .option("-q, --quiet", "no progress output, only the final table", false)
    .option("--no-report", "write no report.html in the trials' directories (results.html is still written; crossprop report DIR/trials/<id> builds one later)")
    .action(async (config: string, opts: { plan: boolean; workers?: string; shard?: string; shardCount?: string; force: boolean; failFast: boolean; out?: string; set: string[]; quiet: boolean; json?: string; expect: boolean; report: boolean }) => {
      process.exitCode = await sweepCommand(config, { ...opts, ...made, ...stepSummary() });
    });
  sweep
    .command("merge")
    .description("join shard directories of one sweep into one result set, identical to an unsharded run's")
    .argument("<dirs...>", "sweep directories (one per shard)")
    .option("-o, --out <dir>", "merged sweep directory (default runs/<name>/sweep-<plan hash>)")
    .action(async (dirs: string[], opts: { out?: string }) => {
      process.exitCode = await sweepMergeCommand(dirs, { ...opts, ...made, ...stepSummary() });
    });
  // --no-color on every command (options are positional, so each takes its own), read before its action.
  const everyCommand = (command: Command): Command[] => [command, ...command.commands.flatMap(everyCommand)];
  for (const command of everyCommand(program)) command.option("--no-color", "no escape sequences: no live progress bars, plain lines (as NO_COLOR=1 does; crossprop prints no colour)");
  program.hook("preAction", (_program, action) => setNoColor(action.opts().color === false));
  return program;
}

/** In a GitHub Actions job, summary.md is also appended to the job's summary page. */
function stepSummary(): { stepSummary?: string } {
  const file = process.env.GITHUB_STEP_SUMMARY;
  return file ? { stepSummary: file } : {};
}

/** Parses argv and runs; user errors print one message and set the exit code, never a stack trace. */
export async function main(argv: string[]): Promise<number> {
  const program = buildProgram({ argv: [...argv], cwd: process.cwd() });
  const withSubcommands = (command: Command): Command[] => [command, ...command.commands.flatMap(withSubcommands)];
  for (const command of withSubcommands(program)) command.exitOverride();
  try {
    await program.parseAsync(argv, { from: "user" });
    return Number(process.exitCode ?? 0);
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander has printed its message; help and --version are not errors, but help shown for a
      // missing command (a bare `crossprop`, on stderr) is a usage error.
      if (error.code === "commander.help") return error.exitCode === 0 ? 0 : 2;
      return error.code === "commander.helpDisplayed" || error.code === "commander.version" ? 0 : 2;
    }
    if (error instanceof UserError) {
      process.stderr.write(`${error.message.replace(/^/gm, "error: ")}\n`);
      return error.exitCode;
    }
    // The machine's fault (a full or read-only disk) on a write no probe foresaw: the run failed.
    if (isIoError(error)) {
      process.stderr.write(`error: ${error.path ?? error.syscall ?? "a file"}: ${ioReason(error)}\n`);
      return 1;
    }
    process.stderr.write(`internal error (a bug in crossprop, please report it):\n${(error as Error).stack ?? String(error)}\n`);
    return 70;
  }
}
