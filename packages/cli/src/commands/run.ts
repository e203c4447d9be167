import { basename, join } from "node:path";
import { checkBackends, loadExampleBytes, loadUserBackend, type Participant } from "@crossprop/backends";
import { checkSpec, UserError, type Backend, type ByteStorage } from "@crossprop/core";
import { loadConfig, prepareExperiment, withBackend, withConfigLocation, withoutExpectations, type LoadedConfig } from "@crossprop/config";
import { checkExpectations, describeUnchecked } from "@crossprop/run";
import { writeReplacementNotes } from "../config-notes.ts";
import { describeExpectation, readRunSummary, RunDirectory, runToDirectory, type ExpectationResult, type Invocation } from "@crossprop/run";
import { isFileParticipant, type FileParticipant } from "../backend-list.ts";
import { backendRun, comparisonEntry, type BackendRun } from "../backend-runs.ts";
import { humanStream, jsonOutput } from "../json-output.ts";
import { progressObserver } from "../progress.ts";
import { stopSignal } from "../signals.ts";
import { resultsTable } from "../results-table.ts";
import { memoryLimitOptions } from "../memory-limit.ts";
import { outputWidth, wrapLine } from "../terminal.ts";
import { printChart, printReportPath, writeReportOrWarn } from "../end-of-run.ts";

export interface RunOptions {
  /** Backends (each optionally on one engine, or a user's module file) to train on, in order; empty = the config's own `backend`. */
  backends: (Participant | FileParticipant)[];
  set: string[];
  out?: string;
  /** Replace another run's files found in the run directory instead of refusing. */
  force?: boolean;
  /** Continue the interrupted run in `out` from its checkpoint. */
  resume?: boolean;
  quiet: boolean;
  /** --no-expect: train without checking the config's expect: bounds (reported as not checked). */
  noExpect?: boolean;
  /** Also write the summary (one backend) or the list of summaries (several) as JSON: a file, or `-` for stdout (the table then goes to stderr). */
  json?: string;
  /** The command line, recorded in each summary.json's provenance. */
  invocation?: Invocation;
  /** --no-report: write no report.html in the run directories (default true). */
  report?: boolean;
}

/**
 * `crossprop run`: train a config on one backend — or on several, each from the same initial
 * parameters and batches, ending with a side-by-side table. Returns the exit code.
 */
export async function runCommand(configPath: string, options: RunOptions): Promise<number> {
  const asWritten = loadConfig(configPath, options.set, memoryLimitOptions());
  writeReplacementNotes(asWritten.replacements);
  // The bounds are emptied in the config itself, so summary.json and config.resolved.yaml say nothing was checked.
  const loaded = options.noExpect ? withoutExpectations(asWritten) : asWritten;
  const backends: (Participant | FileParticipant)[] = options.backends.length > 0 ? options.backends : [{ label: loaded.config.backend, backend: loaded.config.backend, engine: null }];
  // A user's module loads first: a mistake in it is reported as theirs before anything trains.
  const modules = new Map<string, Backend>();
  for (const participant of backends.filter(isFileParticipant)) modules.set(participant.label, await loadUserBackend(participant.file));
  const builtIn = backends.filter((b): b is Participant => !isFileParticipant(b));
  // The wasm engines read the pixels where the dataset lies: the files go straight into their memory.
  const exampleBytes = await loadExampleBytes(builtIn, loaded.config);
  try {
    return await trainAll({ asWritten, loaded, backends, builtIn, modules, options }, exampleBytes?.allocate);
  } finally {
    exampleBytes?.release();
  }
}

/** What runCommand has loaded before anything trains. */
interface Loaded {
  asWritten: LoadedConfig;
  loaded: LoadedConfig;
  backends: (Participant | FileParticipant)[];
  builtIn: Participant[];
  modules: Map<string, Backend>;
  options: RunOptions;
}

/** The rest of runCommand: prepares the experiment (its pixels read into `storage`), trains every backend, reports; the exit code. */
async function trainAll({ asWritten, loaded, backends, builtIn, modules, options }: Loaded, storage: ByteStorage | undefined): Promise<number> {
  // Every backend's support is checked before any trains, so a refusal does not come after an hour.
  const experiment = withConfigLocation(loaded, () => {
    const prepared = prepareExperiment(loaded.config, storage);
    checkBackends([...new Set(builtIn.map((b) => b.backend))], prepared.spec, prepared.optimizer);
    checkSpec(prepared.spec, prepared.optimizer, [...modules.values()]);
    return prepared;
  });
  const several = backends.length > 1;
  const force = options.force ?? false;
  const resume = options.resume ?? false;
  if (resume) checkResumable(options, several);
  const json = jsonOutput(options.json);
  const parent = several ? RunDirectory.create({ out: options.out, name: loaded.config.name, backend: "compare", force }) : null;
  // Every run directory is claimed (created, probed, locked, checked) before any backend trains.
  const runDirs = backends.map((participant) => {
    // A module's directory is named by its file (./my-backprop.ts → my-backprop).
    const directory = isFileParticipant(participant) ? basename(participant.file).replace(/\.[cm]?[jt]s$/, "") : participant.label.replace(":", "-");
    const out = parent ? join(parent.path, directory) : options.out;
    return RunDirectory.create({ out, name: loaded.config.name, backend: directory, force, resume });
  });

  const runs: BackendRun[] = [];
  const reports: (string | null)[] = [];
  const expectations: ExpectationResult[] = [];
  for (const [index, participant] of backends.entries()) {
    const { label } = participant;
    const mine = isFileParticipant(participant) ? loaded : withBackend(loaded, participant.backend, participant.engine);
    const module = modules.get(label);
    const runDir = runDirs[index]!;
    const run = await backendRun(label, runDir.path, () =>
      runToDirectory(mine, { ...experiment, config: mine.config }, runDir, progressObserver({ quiet: options.quiet, stream: process.stderr }), {
        signal: stopSignal,
        resume,
        ...(options.invocation ? { invocation: options.invocation } : {}),
        ...(module ? { backend: module } : {}),
      }),
    );
    runs.push(run);
    reports.push(options.report === false ? null : await writeReportOrWarn(runDir.path, several ? label : null, experiment));
    // One backend: the divergence is the command's error. Several: the others still train.
    if ("diverged" in run) {
      if (!several) {
        json?.write(readRunSummary(runDir.path));
        printChart(run.diverged.error.history, options.quiet);
        printReportPath(reports[0]!, humanStream(json));
        throw run.diverged.error;
      }
      process.stderr.write(`error: ${label}: ${run.diverged.error.message}\n`);
      continue;
    }
    for (const warning of run.outcome.warnings) process.stderr.write(`warning: ${several ? `${label}: ` : ""}${warning}\n`);
    expectations.push(...run.outcome.expectations.map((e) => (several ? { ...e, metric: `${label}: ${e.metric}` } : e)));
  }

  const table = resultsTable(runs, outputWidth(humanStream(json)));
  if (parent) {
    parent.writeText("comparison.txt", `${table}\n`);
    parent.writeJson(
      "comparison.json",
      runs.map(comparisonEntry),
    );
  }
  const out = humanStream(json);
  const [only] = runs;
  if (!several && only && "outcome" in only) printChart(only.outcome.result, options.quiet);
  out.write(`${table}\n`);
  if (!several) printReportPath(reports[0]!, out);
  const width = outputWidth(out);
  for (const expectation of expectations) out.write(`${wrapLine(describeExpectation(expectation), width)}\n`);
  const summaries = runDirs.map((dir) => readRunSummary(dir.path));
  json?.write(several ? summaries : summaries[0]);
  if (options.noExpect) for (const line of uncheckedLines(asWritten.config.expect, runs)) out.write(`${wrapLine(line, width)}\n`);
  // Several backends: the comparison's own page beside comparison.json, linking each backend's report.html.
  if (parent && options.report !== false) await writeComparisonPage(parent.path, out);
  const failed = expectations.filter((e) => !e.passed);
  // A run the command line changed (shortened, say) is still judged by the file's bounds: say how to skip them.
  const hint = options.set.length > 0 ? "; the bounds are the config file's, for the run as written — --no-expect trains without checking them" : "";
  if (failed.length > 0) process.stderr.write(`error: ${failed.length} expectation(s) not met: ${failed.map((e) => e.metric).join(", ")}${hint}\n`);
  const diverged = runs.filter((run) => "diverged" in run);
  if (diverged.length > 0) process.stderr.write(`error: ${diverged.length} of ${runs.length} backends diverged: ${diverged.map((run) => run.label).join(", ")}\n`);
  return failed.length > 0 || diverged.length > 0 ? 1 : 0;
}

/** Writes the comparison directory's report.html and prints its path; a failure is a `warning:` line (the runs are recorded), never the exit code. */
async function writeComparisonPage(dir: string, out: NodeJS.WritableStream): Promise<void> {
  try {
    const { writeComparisonReport } = await import("@crossprop/report"); // after training: see end-of-run.ts
    out.write(`${wrapLine(`report: ${await writeComparisonReport(dir)}`, outputWidth(out))}\n`);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`${wrapLine(`warning: the comparison's report.html not written: ${message}`, outputWidth(process.stderr))}\n`);
  }
}

/** The bounds --no-expect skipped, each with the value it would have judged, per finished backend. */
function uncheckedLines(expect: LoadedConfig["config"]["expect"], runs: readonly BackendRun[]): string[] {
  return runs.flatMap((run) => {
    if ("diverged" in run) return [];
    const { result } = run.outcome;
    const prefix = runs.length > 1 ? `${run.label}: ` : "";
    return checkExpectations(expect, { ...result.epochs.at(-1) }, result.final).map((e) => describeUnchecked({ ...e, metric: `${prefix}${e.metric}` }));
  });
}

/** --resume continues one run in a named directory: refused up front (exit 2) otherwise. */
function checkResumable(options: RunOptions, several: boolean): void {
  if (options.out === undefined) throw new UserError("--resume needs --out DIR: the directory of the interrupted run");
  if (options.force) throw new UserError("--resume and --force exclude each other: --force starts the run afresh");
  if (several) throw new UserError("--resume continues one backend's run: pass --backend NAME and that backend's directory as --out");
}
