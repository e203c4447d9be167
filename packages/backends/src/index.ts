export {
  BACKEND_NAMES,
  BACKEND_OPTION_SCHEMAS,
  backendEntry,
  backendOptions,
  checkBackends,
  DEFAULT_BACKEND,
  DEFAULT_CHECK_PARTICIPANTS,
  DEFAULT_CHECK_REFERENCE,
  isBackendName,
  loadBackend,
  loadExampleBytes,
  loadParticipant,
  parseParticipant,
  participantTolerances,
  resolveParticipant,
  PARTICIPANT_NAMES,
  type BackendEntry,
  type BackendName,
  type BackendOptions,
  type BackendTolerance,
  type Participant,
} from "./registry.ts";
export { isBackendFile, loadUserBackend } from "./user-backend.ts";
export { UserCodeError } from "./user-model.ts";
export { STARTER_FILE, starterText } from "./starter/starter.ts";
