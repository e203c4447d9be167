import { parseDocument } from "yaml";
import type { LoadedConfig } from "@crossprop/config";

/**
 * A trial's config without its `sweep:` section, in both the object and config.resolved.yaml:
 * the section says how trials were made, not what a trial is, so it must not change a trial's
 * id (a widened grid keeps the finished trials) nor appear in its run directory.
 */
export function withoutSweep(loaded: LoadedConfig): LoadedConfig {
  const { sweep: _sweep, ...config } = loaded.config;
  const resolved = parseDocument(loaded.resolvedYaml);
  resolved.delete("sweep");
  return { ...loaded, config, resolvedYaml: resolved.toString() };
}
