/**
 * At most `maxPoints` of `points` (in order), keeping each bucket's lowest and highest value, so a
 * long series (a 20-epoch run has ~9,000 steps) draws the same envelope with a fraction of the SVG.
 * The first and last points are always kept. Series of at most `maxPoints` come back unchanged.
 */
export function downsampleMinMax<T>(points: readonly T[], value: (point: T) => number, maxPoints = MAX_POINTS): T[] {
  if (points.length <= maxPoints) return [...points];
  // Two points per bucket, minus the two ends kept on their own.
  const buckets = Math.max(1, Math.floor((maxPoints - 2) / 2));
  const inner = points.length - 2;
  const kept: T[] = [points[0]!];
  for (let b = 0; b < buckets; b++) {
    const start = 1 + Math.floor((b * inner) / buckets);
    const end = 1 + Math.floor(((b + 1) * inner) / buckets);
    if (end <= start) continue;
    let low = start;
    let high = start;
    for (let i = start + 1; i < end; i++) {
      if (value(points[i]!) < value(points[low]!)) low = i;
      if (value(points[i]!) > value(points[high]!)) high = i;
    }
    // In step order, so the line goes through both extremes as the raw series did.
    if (low === high) kept.push(points[low]!);
    else kept.push(points[Math.min(low, high)]!, points[Math.max(low, high)]!);
  }
  kept.push(points.at(-1)!);
  return kept;
}

/** The most points a chart's series draws: ~2,000 keeps a 20-epoch run's page well under 2 MB. */
export const MAX_POINTS = 2000;

/** `value` with 4 significant digits, as a number: inline chart data stays short. */
export function short(value: number): number {
  return Number.isFinite(value) ? Number(value.toPrecision(4)) : value;
}
