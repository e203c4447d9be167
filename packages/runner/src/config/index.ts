export { configChecks, runChecks, type CheckIssue, type ConfigCheck, type FieldSources } from "./checks.ts";
export { ConfigError, formatIssue, type ConfigIssue } from "./errors.ts";
export { loadConfig, parseConfig, type LoadedConfig, type Located } from "./load.ts";
export { referenceEnd, referenceStart, renderConfigReference, replaceReferenceSection } from "./reference.ts";
export { configSchema, schemaJson, type Config } from "./schema.ts";
