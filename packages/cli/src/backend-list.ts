import { BACKEND_NAMES, parseParticipant, PARTICIPANT_NAMES, type Participant } from "@crossprop/backends";
import { UserError } from "@crossprop/core";
import { closest, distance } from "fastest-levenshtein";

/**
 * `manual`, `manual,tfjs`, `manual:typescript,manual:wasm` or `all` → backends (each optionally on
 * one engine), each checked with a did-you-mean.
 */
export function parseBackendList(value: string, option = "--backend"): Participant[] {
  const names = value === "all" ? BACKEND_NAMES : [...new Set(value.split(",").map((name) => name.trim()))];
  return names.map((name) => {
    const participant = parseParticipant(name);
    if (participant) return participant;
    const guess = closest(name, PARTICIPANT_NAMES);
    const hint = distance(name, guess) <= 2 ? ` — did you mean "${guess}"?` : "";
    throw new UserError(`${option}: expected ${BACKEND_NAMES.join(", ")} (each optionally :engine, e.g. ${PARTICIPANT_NAMES.find((n) => n.includes(":"))}) or all, comma-separated; got "${name}"${hint}`);
  });
}
