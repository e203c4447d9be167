export {
  BACKEND_NAMES,
  BACKEND_OPTION_SCHEMAS,
  backendEntry,
  backendOptions,
  checkBackends,
  DEFAULT_BACKEND,
  isBackendName,
  loadBackend,
  type BackendEntry,
  type BackendName,
  type BackendOptions,
  type BackendTolerance,
} from "./registry.ts";
