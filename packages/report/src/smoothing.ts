/**
 * Exponential moving average with bias correction (as TensorBoard's smoothing):
 * m_t = w·m_{t−1} + (1 − w)·x_t, shown as m_t / (1 − w^t), so the first points are not pulled to 0.
 * Non-finite values are skipped (the average carries over them) and come out as null.
 */
export function emaSmooth(values: readonly (number | null)[], weight: number): (number | null)[] {
  const smoothed: (number | null)[] = [];
  let average = 0;
  let seen = 0;
  for (const value of values) {
    if (value === null || !Number.isFinite(value)) {
      smoothed.push(null);
      continue;
    }
    average = weight * average + (1 - weight) * value;
    seen++;
    smoothed.push(average / (1 - weight ** seen));
  }
  return smoothed;
}

/** A weight that averages over about 1% of the steps (at least 10 points, at most 0.99): 0.9 for 1,000 steps. */
export function smoothingWeight(steps: number): number {
  const span = Math.max(10, Math.min(100, steps / 100));
  return Math.round((1 - 1 / span) * 1000) / 1000;
}
