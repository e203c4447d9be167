import { backendOptions, checkBackends, loadBackend, type BackendName } from "@crossprop/backends";
import { checkReportJson, checkReportText, crossCheck, type CheckReportHeader } from "@crossprop/check";
import { loadConfig, prepareExperiment, withConfigLocation } from "@crossprop/config";
import { writeFileAtomic } from "@crossprop/core";

export interface CheckCommandOptions {
  backends?: BackendName[];
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
  if (options.backends) sets.push(`check.backends=[${options.backends.join(",")}]`);
  if (options.reference !== undefined) sets.push(`check.reference=${options.reference}`);
  if (options.steps !== undefined) sets.push(`check.steps=${options.steps}`);
  if (options.rtol !== undefined) sets.push(`check.rtol=${options.rtol}`);
  if (options.atol !== undefined) sets.push(`check.atol=${options.atol}`);
  const loaded = loadConfig(configPath, sets);
  const { config } = loaded;
  const backends = [config.check.reference, ...config.check.backends.filter((b) => b !== config.check.reference)];
  const experiment = withConfigLocation(loaded, () => {
    const prepared = prepareExperiment(config);
    checkBackends(backends, prepared.spec, prepared.optimizer);
    return prepared;
  });
  const header: CheckReportHeader = {
    name: config.name,
    config_file: loaded.file,
    dtype: config.dtype,
    reference: config.check.reference,
    backends,
    steps: config.check.steps,
    synced: options.sync,
  };
  if (!options.quiet) process.stderr.write(`checking ${backends.join(", ")} for ${config.check.steps} steps…\n`);
  const result = await crossCheck(experiment, {
    backends: await Promise.all(backends.map((name) => loadBackend(name, backendOptions(name, config, experiment.threads)))),
    steps: config.check.steps,
    override: { rtol: config.check.rtol, atol: config.check.atol },
    fdSamples: config.check.fd_samples,
    fdRows: config.check.fd_rows,
    sync: options.sync,
  });
  if (options.json) writeFileAtomic(options.json, `${JSON.stringify(checkReportJson(header, result), null, 2)}\n`);
  process.stdout.write(checkReportText(header, result));
  return result.passed ? 0 : 1;
}
