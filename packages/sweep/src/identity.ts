import { createHash } from "node:crypto";

/** JSON with every mapping's keys sorted, so equal values give equal text whatever the key order. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner !== null && typeof inner === "object" && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : inner,
  );
}

/** The first 12 hex digits of sha256(text): 48 bits, ample to tell a sweep's trials apart. */
export function shortHash(text: string): string {
  return createHash("sha256").update(text).digest("hex").slice(0, 12);
}

/** A trial's id: the short hash of its resolved config (sweep section already stripped). */
export function trialId(config: unknown): string {
  return shortHash(canonicalJson(config));
}
