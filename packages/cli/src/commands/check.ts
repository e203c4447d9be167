import { checkBackends, loadParticipant, loadUserBackend, parseParticipant, resolveParticipant, type Participant } from "@crossprop/backends";
import { checkSpec, type Backend } from "@crossprop/core";
import { checkReportJson, checkReportText, crossCheck, type CheckReportHeader } from "@crossprop/check";
import { ConfigError, loadConfig, prepareExperiment, withConfigLocation } from "@crossprop/config";
import type { CheckJson } from "@crossprop/report";
import { prepareFile, provenance, type Invocation } from "@crossprop/run";
import { isFileParticipant, type FileParticipant } from "../backend-list.ts";
import { humanStream, jsonOutput } from "../json-output.ts";
import { memoryLimitOptions } from "../memory-limit.ts";
import { writeReplacementNotes } from "../config-notes.ts";
import { stopSignal } from "../signals.ts";
import { outputWidth, wrapLine } from "../terminal.ts";

export interface CheckCommandOptions {
  /** Registered backends, and backend modules of the user's (files). */
  backends?: (Participant | FileParticipant)[];
  reference?: string;
  steps?: string;
  rtol?: string;
  atol?: string;
  /** A file, or `-` for stdout (the text report then goes to stderr). */
  json?: string;
  /** A self-contained HTML page of the report (the page `crossprop report` builds from the JSON). */
  html?: string;
  sync: boolean;
  set: string[];
  quiet: boolean;
  /** The command line, for the JSON report's provenance. */
  invocation?: Invocation;
}

/**
 * `crossprop check`: every backend from the same init on the same batches, compared step by step
 * with the reference, plus a finite-difference gradient check. Exit 0 = all within tolerance, 1 = not.
 */
export async function checkCommand(configPath: string, options: CheckCommandOptions): Promise<number> {
  const startedAt = new Date();
  // Command-line values go through the schema like any --set, so they are validated the same way;
  // an issue names the option as typed (`--steps abc`), not the --set it became.
  const sets = [...options.set];
  const typed = new Map<string, string>();
  const viaSchema = (option: string, value: string, field: string) => {
    sets.push(`${field}=${value}`);
    typed.set(`--set ${field}=${value}`, `${option} ${value}`);
  };
  // A user's module is not a config value: it joins the registered backends the config (or --backends) lists.
  const files = (options.backends ?? []).filter(isFileParticipant);
  const registered = (options.backends ?? []).filter((b): b is Participant => !isFileParticipant(b));
  if (registered.length > 0) viaSchema("--backends", `[${registered.map((b) => b.label).join(",")}]`, "check.backends");
  if (options.reference !== undefined) viaSchema("--reference", options.reference, "check.reference");
  if (options.steps !== undefined) viaSchema("--steps", options.steps, "check.steps");
  if (options.rtol !== undefined) viaSchema("--rtol", options.rtol, "check.rtol");
  if (options.atol !== undefined) viaSchema("--atol", options.atol, "check.atol");
  const loaded = namingOptions(typed, () => loadConfig(configPath, sets, memoryLimitOptions()));
  writeReplacementNotes(loaded.replacements.map((r) => ({ ...r, origin: typed.get(r.origin) ?? r.origin })));
  const { config } = loaded;
  // A bare name runs its configured engine, spelled out: `manual` → `manual:wasm`; duplicates drop.
  const resolve = (label: string) => resolveParticipant(parseParticipant(label)!, config);
  const reference = resolve(config.check.reference);
  const participants = [reference, ...config.check.backends.map(resolve)].filter((p, i, all) => all.findIndex((q) => q.label === p.label) === i);
  // The user's modules load first: a mistake in one is theirs, said before anything is checked.
  const userBackends: Backend[] = [];
  for (const file of files) userBackends.push(await loadUserBackend(file.file));
  const backends = [...participants.map((p) => p.label), ...files.map((f) => f.label)];
  const experiment = withConfigLocation(loaded, () => {
    const prepared = prepareExperiment(config);
    checkBackends([...new Set(participants.map((p) => p.backend))], prepared.spec, prepared.optimizer);
    // What a user's module declares it supports is checked the same way, naming the config key it cannot do.
    checkSpec(prepared.spec, prepared.optimizer, userBackends);
    return prepared;
  });
  // The reference always takes part (said once the config is known to be good); when the backends listed leave it out, say it was added.
  if (registered.length > 0 || files.length === 0) if (!config.check.backends.some((label) => resolve(label).label === reference.label)) {
    const referenceFrom = options.reference !== undefined ? `--reference ${options.reference}` : `check.reference ${config.check.reference}`;
    const backendsFrom = options.backends ? `--backends ${options.backends.map((b) => b.label).join(",")}` : `check.backends [${config.check.backends.join(", ")}]`;
    process.stderr.write(`note: ${referenceFrom} is not among ${backendsFrom}: ${reference.label} is checked too, as the reference\n`);
  }
  const header: CheckReportHeader = {
    name: config.name,
    config_file: loaded.file,
    dtype: config.dtype,
    reference: reference.label,
    backends,
    steps: config.check.steps,
    synced: options.sync,
  };
  // The report's file is probed before the check trains, so a bad path costs a second, not the check.
  const json = jsonOutput(options.json);
  if (options.html !== undefined) prepareFile(options.html, "--html");
  if (!options.quiet) process.stderr.write(`${wrapLine(`checking ${backends.join(", ")} for ${config.check.steps} steps…`, outputWidth(process.stderr))}\n`);
  const result = await crossCheck(experiment, {
    backends: [...(await Promise.all(participants.map(async (p) => ({ ...(await loadParticipant(p, config, experiment.threads)), name: p.label })))), ...userBackends],
    steps: config.check.steps,
    override: { rtol: config.check.rtol, atol: config.check.atol },
    fdSamples: config.check.fd_samples,
    fdRows: config.check.fd_rows,
    sync: options.sync,
    signal: stopSignal,
  });
  // The text first: a failed write of the JSON (a full disk) does not lose the report.
  const human = humanStream(json);
  human.write(checkReportText(header, result, outputWidth(human)));
  const made = provenance({
    invocation: options.invocation ?? null,
    startedAt,
    finishedAt: new Date(),
    backends: participants.map((p) => ({ backend: p.backend, engine: result.engines[p.label] ?? null })),
    threads: experiment.threads,
  });
  const report = checkReportJson({ ...header, provenance: made }, result);
  json?.write(report);
  if (options.html !== undefined) {
    // Built from the JSON as written (infinities become null), so `crossprop report FILE.json` rebuilds these bytes.
    const { checkPageHtml, writeHtmlFile } = await import("@crossprop/report"); // only for --html: see end-of-run.ts
    writeHtmlFile(options.html, await checkPageHtml(JSON.parse(JSON.stringify(report)) as CheckJson));
    human.write(`report: ${options.html}\n`);
  }
  return result.passed ? 0 : 1;
}

/** Runs `load`; a ConfigError's issues that came from a command-line option name that option. */
function namingOptions<T>(typed: ReadonlyMap<string, string>, load: () => T): T {
  try {
    return load();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    throw new ConfigError(error.issues.map((issue) => ({ ...issue, origin: typed.get(issue.origin) ?? issue.origin })));
  }
}
