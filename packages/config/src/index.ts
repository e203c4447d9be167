export { parseConfigDocument, positionOf, type ConfigDocument } from "./document.ts";
export { ConfigError, type ConfigIssue } from "./errors.ts";
export { prepareExperiment, stepPlan, type Experiment, type TrainingPlan } from "./experiment.ts";
export { loadConfig, parseConfig, withBackend, type LoadedConfig, type Located } from "./load.ts";
export { withConfigLocation } from "./locate.ts";
export { parseOverride } from "./overrides.ts";
export { formatPath, isPrefix, parsePath, type ConfigPath } from "./path.ts";
export { configSchema, type Config } from "./schema/index.ts";
