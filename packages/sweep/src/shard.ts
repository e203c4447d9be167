import { UserError } from "@crossprop/core";

/** Shard `index` (1-based) of `count`. */
export interface Shard {
  index: number;
  count: number;
  /** With `--shard auto`: the platform the shard came from, e.g. "Slurm" (shard-env.ts). */
  source?: string;
  /** With `--shard auto`: each variable read, as it was set (and `--shard-count` when given). */
  variables?: Record<string, string>;
}

/** "2/3" → { index: 2, count: 3 }; anything else is a usage error (exit 2). */
export function parseShard(text: string): Shard {
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (!match || count < 1 || index < 1 || index > count) {
    throw new UserError(`--shard: expected i/n with 1 ≤ i ≤ n, e.g. --shard 1/2, got "${text}"`);
  }
  return { index, count };
}

/**
 * Whether plan trial `index` (1-based) belongs to `shard`: round-robin, (index − 1) mod n = i − 1.
 * Depends on the plan alone, so every machine computes the same split, and dealing trials out in
 * turn mixes cheap and costly grid corners on every shard.
 */
export function inShard(index: number, shard: Shard | null): boolean {
  return shard === null || (index - 1) % shard.count === shard.index - 1;
}
