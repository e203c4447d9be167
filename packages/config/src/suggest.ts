import { distance } from "fastest-levenshtein";

/**
 * The candidate closest to `word` (case-insensitively), if it is close enough to be a typo:
 * at most max(2, ⌊length/3⌋) edits, and fewer edits than the candidate has characters.
 * Failing that, the only candidate `word` abbreviates (`valid_acc` → `valid_accuracy`), or the
 * longest one `word` starts with (`kaiming_normal` → `kaiming`, `minimum` → `min`).
 */
export function didYouMean(word: string, candidates: readonly string[]): string | undefined {
  const lower = word.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const edits = distance(lower, candidate.toLowerCase());
    if (edits < bestDistance && edits < candidate.length) {
      best = candidate;
      bestDistance = edits;
    }
  }
  if (bestDistance <= Math.max(2, Math.floor(word.length / 3))) return best;
  const extensions = lower.length >= 3 ? candidates.filter((candidate) => candidate.toLowerCase().startsWith(lower)) : [];
  if (extensions.length === 1) return extensions[0];
  const stems = candidates.filter((candidate) => candidate.length >= 3 && lower.startsWith(candidate.toLowerCase()));
  return stems.sort((a, b) => b.length - a.length)[0];
}
