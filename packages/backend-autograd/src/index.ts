export { autogradBackend } from "./backend.ts";
