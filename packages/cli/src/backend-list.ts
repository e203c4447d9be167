import { BACKEND_NAMES, isBackendFile, parseParticipant, PARTICIPANT_NAMES, type Participant } from "@crossprop/backends";
import { UserError } from "@crossprop/core";
import { closest, distance } from "fastest-levenshtein";

/** A backend from a user's module file (`./my-backprop.ts`), loaded by the backends package's guard. */
export interface FileParticipant {
  label: string;
  file: string;
}

export function isFileParticipant(participant: Participant | FileParticipant): participant is FileParticipant {
  return "file" in participant;
}

/**
 * `manual`, `manual,tfjs`, `manual:typescript,manual:wasm` or `all` → backends (each optionally on
 * one engine), each checked with a did-you-mean. With `files`, a path (`./mine.ts`) is a backend
 * module of the user's; `all` may stand beside it (`./mine.ts,all`).
 */
export function parseBackendList(value: string, option?: string): Participant[];
export function parseBackendList(value: string, option: string, files: true): (Participant | FileParticipant)[];
export function parseBackendList(value: string, option = "--backend", files = false): (Participant | FileParticipant)[] {
  const listed = [...new Set(value.split(",").map((name) => name.trim()))];
  const names = listed.flatMap((name) => (name === "all" ? BACKEND_NAMES : [name]));
  return [...new Set(names)].map((name): Participant | FileParticipant => {
    if (files && isBackendFile(name)) return { label: name, file: name };
    const participant = parseParticipant(name);
    if (participant) return participant;
    const guess = closest(name, PARTICIPANT_NAMES);
    const hint = distance(name, guess) <= 2 ? ` — did you mean "${guess}"?` : "";
    throw new UserError(`${option}: expected ${BACKEND_NAMES.join(", ")} (each optionally :engine, e.g. ${PARTICIPANT_NAMES.find((n) => n.includes(":"))}) or all, comma-separated; got "${name}"${hint}`);
  });
}
