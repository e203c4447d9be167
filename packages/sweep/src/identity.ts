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

/**
 * A trial's id: the short hash of its resolved config without the `sweep:` section and the
 * pass/fail bounds (`expect:`). Neither changes what is trained, so a widened grid keeps the
 * finished trials and a changed threshold re-judges them (trial-evidence.ts) instead of retraining.
 */
export function trialId(config: unknown): string {
  if (config === null || typeof config !== "object" || Array.isArray(config)) return shortHash(canonicalJson(config));
  const { sweep: _sweep, expect: _expect, ...trained } = config as Record<string, unknown>;
  return shortHash(canonicalJson(trained));
}
