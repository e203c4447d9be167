export { autogradBackend, createAutogradBackend } from "./backend.ts";
