import { dirname, isAbsolute, resolve } from "node:path";
import { prepareExperiment, type Config, type Experiment } from "@crossprop/config";
import { parse } from "yaml";
import type { RunFiles } from "./run-files.ts";

/** A value a report section needs, or one sentence saying why it could not be had. */
export type Loaded<T> = { value: T } | { why: string };

/**
 * The run's config, from config.resolved.yaml as written: crossprop wrote it after validating it,
 * with every default filled. It is not loaded again with loadConfig, whose cross-field checks read
 * every field as written by the user (a resolved `data.path: null` beside dataset mnist is refused).
 * A relative data.path is resolved against the ORIGINAL config's directory (summary.json config_file,
 * itself relative to the run's working directory), as `crossprop run` resolved it.
 */
export function runConfig(files: RunFiles): Loaded<Config> {
  if (files.resolvedConfig === null) return { why: "config.resolved.yaml is absent" };
  const cwd = files.summary.provenance?.command?.cwd ?? files.dir;
  const origin = isAbsolute(files.summary.config_file) ? files.summary.config_file : resolve(cwd, files.summary.config_file);
  try {
    const config = parse(files.resolvedConfig) as Config;
    const path = config.data.path;
    return { value: path === null || isAbsolute(path) ? config : { ...config, data: { ...config.data, path: resolve(dirname(origin), path) } } };
  } catch (error) {
    return { why: `config.resolved.yaml does not load: ${firstLine(error)}` };
  }
}

/**
 * The run's train and validation sets rebuilt from its config (the split is deterministic), checked
 * against the sha256 summary.json recorded, so the pixels shown are the ones the run was judged on.
 */
export function runData(files: RunFiles, config: Loaded<Config>): Loaded<Experiment> {
  if ("why" in config) return config;
  let experiment: Experiment;
  try {
    experiment = prepareExperiment(config.value);
  } catch (error) {
    return { why: `the run's data cannot be loaded: ${firstLine(error)}` };
  }
  if (experiment.dataSha256 !== files.summary.data.sha256) {
    return { why: `the data loaded now (sha256 ${experiment.dataSha256.slice(0, 12)}…) is not what the run used (${files.summary.data.sha256.slice(0, 12)}…)` };
  }
  return { value: experiment };
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split("\n")[0]!.replace(/[.:]\s*$/, "");
}
