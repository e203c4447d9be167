import { BACKEND_NAMES, isBackendName, type BackendName } from "@crossprop/backends";
import { UserError } from "@crossprop/core";
import { closest, distance } from "fastest-levenshtein";

/** `manual`, `manual,tfjs` or `all` → backend names, each checked with a did-you-mean. */
export function parseBackendList(value: string, option = "--backend"): BackendName[] {
  if (value === "all") return [...BACKEND_NAMES];
  const names = value.split(",").map((name) => name.trim());
  for (const name of names) {
    if (isBackendName(name)) continue;
    const guess = closest(name, BACKEND_NAMES);
    const hint = distance(name, guess) <= 2 ? ` — did you mean "${guess}"?` : "";
    throw new UserError(`${option}: expected ${BACKEND_NAMES.join(", ")} or all (comma-separated), got "${name}"${hint}`);
  }
  return [...new Set(names)] as BackendName[];
}
