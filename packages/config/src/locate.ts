import { SpecError, UserError } from "@crossprop/core";
import { ConfigError } from "./errors.ts";
import type { LoadedConfig } from "./load.ts";

/**
 * Runs `fn`; a UserError that names a config key (e.g. data.train_size too large for the data), or
 * a SpecError naming several, becomes a ConfigError pointing at where each key was written (file
 * line:column, or the --set).
 */
export function withConfigLocation<T>(loaded: LoadedConfig, fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof SpecError) {
      throw new ConfigError(error.issues.map(({ path, message }) => ({ ...loaded.locate(path), path, message })));
    }
    if (error instanceof UserError && error.path && !(error instanceof ConfigError)) {
      const prefix = `${error.path}: `;
      const message = error.message.startsWith(prefix) ? error.message.slice(prefix.length) : error.message;
      throw new ConfigError([{ ...loaded.locate(error.path), path: error.path, message }]);
    }
    throw error;
  }
}
