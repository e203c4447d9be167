import { checkBackends, loadParticipant, parseParticipant, resolveParticipant, type Participant } from "@crossprop/backends";
import { checkReportJson, checkReportText, crossCheck, type CheckReportHeader } from "@crossprop/check";
import { loadConfig, prepareExperiment, withConfigLocation } from "@crossprop/config";
import { writeFileAtomic } from "@crossprop/core";
import { prepareFile, writingTo } from "@crossprop/run";
import { memoryLimitOptions } from "../memory-limit.ts";

export interface CheckCommandOptions {
  backends?: Participant[];
  reference?: string;
  steps?: string;
  rtol?: string;
  atol?: string;
  json?: string;
  sync: boolean;
  set: string[];
  quiet: boolean;
}

/**
 * `crossprop check`: every backend from the same init on the same batches, compared step by step
 * with the reference, plus a finite-difference gradient check. Exit 0 = all within tolerance, 1 = not.
 */
export async function checkCommand(configPath: string, options: CheckCommandOptions): Promise<number> {
  // Command-line values go through the schema like any --set, so they are validated the same way.
  const sets = [...options.set];
  if (options.backends) sets.push(`check.backends=[${options.backends.map((b) => b.label).join(",")}]`);
  if (options.reference !== undefined) sets.push(`check.reference=${options.reference}`);
  if (options.steps !== undefined) sets.push(`check.steps=${options.steps}`);
  if (options.rtol !== undefined) sets.push(`check.rtol=${options.rtol}`);
  if (options.atol !== undefined) sets.push(`check.atol=${options.atol}`);
  const loaded = loadConfig(configPath, sets, memoryLimitOptions());
  const { config } = loaded;
  // A bare name runs its configured engine, spelled out: `manual` → `manual:wasm`; duplicates drop.
  const resolve = (label: string) => resolveParticipant(parseParticipant(label)!, config);
  const reference = resolve(config.check.reference);
  const participants = [reference, ...config.check.backends.map(resolve)].filter((p, i, all) => all.findIndex((q) => q.label === p.label) === i);
  const backends = participants.map((p) => p.label);
  const experiment = withConfigLocation(loaded, () => {
    const prepared = prepareExperiment(config);
    checkBackends([...new Set(participants.map((p) => p.backend))], prepared.spec, prepared.optimizer);
    return prepared;
  });
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
  if (options.json) prepareFile(options.json, "--json");
  if (!options.quiet) process.stderr.write(`checking ${backends.join(", ")} for ${config.check.steps} steps…\n`);
  const result = await crossCheck(experiment, {
    backends: await Promise.all(participants.map(async (p) => ({ ...(await loadParticipant(p, config, experiment.threads)), name: p.label }))),
    steps: config.check.steps,
    override: { rtol: config.check.rtol, atol: config.check.atol },
    fdSamples: config.check.fd_samples,
    fdRows: config.check.fd_rows,
    sync: options.sync,
  });
  // The text first: a failed write of the JSON (a full disk) does not lose the report.
  process.stdout.write(checkReportText(header, result));
  const json = options.json;
  if (json) writingTo(json, () => writeFileAtomic(json, `${JSON.stringify(checkReportJson(header, result), null, 2)}\n`));
  return result.passed ? 0 : 1;
}
