import type { ClassPredictions } from "./predictions.ts";

/** How a classifier's validation predictions fall: counts per (true, predicted) class pair. */
export interface Confusion {
  classes: number;
  /** counts[t · classes + p]: examples of true class t predicted as p. */
  counts: Int32Array;
  /** Examples per true class (the rows' sums). */
  support: Int32Array;
}

export function confusionMatrix(p: ClassPredictions, classes: number): Confusion {
  const counts = new Int32Array(classes * classes);
  const support = new Int32Array(classes);
  for (let i = 0; i < p.count; i++) {
    const t = p.labels[i]!;
    const q = p.predicted[i]!;
    if (t >= classes || q >= classes) throw new RangeError(`validation example ${i}: class ${Math.max(t, q)} but the run has ${classes} classes`);
    counts[t * classes + q]!++;
    support[t]!++;
  }
  return { classes, counts, support };
}

/** The share of each true class predicted right (null for a class without examples). */
export function perClassAccuracy(c: Confusion): (number | null)[] {
  return Array.from({ length: c.classes }, (_, t) => (c.support[t] === 0 ? null : c.counts[t * c.classes + t]! / c.support[t]!));
}

export interface ConfusedPair {
  label: number;
  predicted: number;
  count: number;
  /** count ÷ examples of the true class. */
  share: number;
}

/** The off-diagonal cells with the most examples (then the larger share, then class order), at most `limit`. */
export function mostConfusedPairs(c: Confusion, limit: number): ConfusedPair[] {
  const pairs: ConfusedPair[] = [];
  for (let t = 0; t < c.classes; t++) {
    for (let q = 0; q < c.classes; q++) {
      const count = c.counts[t * c.classes + q]!;
      if (t !== q && count > 0) pairs.push({ label: t, predicted: q, count, share: count / c.support[t]! });
    }
  }
  pairs.sort((a, b) => b.count - a.count || b.share - a.share || a.label - b.label || a.predicted - b.predicted);
  return pairs.slice(0, limit);
}

/**
 * The wrongly predicted validation examples the model was surest of (fastai's top losses, by the
 * predicted class's probability): highest probability first, then highest loss, then index. A NaN
 * probability (a diverged run) sorts last.
 */
export function mostConfidentWrong(p: ClassPredictions, k: number): number[] {
  const wrong: number[] = [];
  for (let i = 0; i < p.count; i++) if (p.labels[i] !== p.predicted[i]) wrong.push(i);
  const key = (value: number) => (Number.isNaN(value) ? -Infinity : value);
  wrong.sort((a, b) => key(p.probability[b]!) - key(p.probability[a]!) || key(p.loss[b]!) - key(p.loss[a]!) || a - b);
  return wrong.slice(0, k);
}
