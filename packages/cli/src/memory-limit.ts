import { UserError } from "@crossprop/core";
import { defaultMemoryLimit, type LoadOptions } from "@crossprop/config";

/** The environment variable that sets how much memory one run may take, in MB (10^6 bytes). */
export const MEMORY_LIMIT_VARIABLE = "CROSSPROP_MEMORY_LIMIT_MB";

/**
 * The memory limit configs are checked against: CROSSPROP_MEMORY_LIMIT_MB when set, else 75% of
 * this machine's memory. A machine setting, not an experiment's, so it lives outside the config
 * (it would change every trial's id) and is read here, in the CLI, only.
 */
export function memoryLimitOptions(env: NodeJS.ProcessEnv = process.env): LoadOptions {
  const text = env[MEMORY_LIMIT_VARIABLE];
  if (text === undefined || text === "") {
    const limit = defaultMemoryLimit();
    return { memoryLimit: { ...limit, source: `${limit.source}; set ${MEMORY_LIMIT_VARIABLE} to change it` } };
  }
  const megabytes = Number(text);
  if (!Number.isFinite(megabytes) || megabytes <= 0) {
    throw new UserError(`${MEMORY_LIMIT_VARIABLE}: expected a number of megabytes > 0, got "${text}"`);
  }
  return { memoryLimit: { bytes: megabytes * 1e6, source: `${MEMORY_LIMIT_VARIABLE}=${text}` } };
}
