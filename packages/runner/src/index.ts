// The runner's programmatic API, for cross-package tests and tools.
export { BACKEND_NAMES, backendOptions, loadBackend, type BackendName, type BackendOptions } from "./backends.ts";
export { crossCheck, namedBackends, type CheckOptions, type CheckResult } from "./check/cross-check.ts";
export { loadConfig, parseConfig, type Config, type LoadedConfig } from "./config/index.ts";
export { prepareExperiment, type Experiment } from "./experiment.ts";
export { main } from "./program.ts";
export { train, type TrainResult } from "./train.ts";
