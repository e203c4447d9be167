/** How the sparse products cut their work: column panels of packed b, and row ranges of equal cost per thread. */

export interface PanelPlan {
  /** Per panel (PLAN_ENTRY bytes in assembly/spmm.ts): first column, vectors (1–7), lanes of its last vector (1–4). */
  readonly entries: Int32Array;
  /** Panel ranges of the threads. */
  readonly bounds: number[];
}

const plans = new Map<number, PanelPlan>();

/**
 * Panels for n columns over `threads` threads: n/4 vectors (rounded up) cut into equal runs, one
 * per thread, each run into the fewest panels of at most 7 vectors, as even as can be.
 */
export function panelPlan(n: number, threads: number): PanelPlan {
  const key = n * 65 + threads;
  let plan = plans.get(key);
  if (plan) return plan;
  const vectors = Math.ceil(n / 4);
  const lastLanes = n - 4 * (vectors - 1);
  const entries: number[] = [];
  const bounds = [0];
  let vector = 0;
  for (let t = 0; t < threads; t++) {
    const end = Math.round((vectors * (t + 1)) / threads);
    const run = end - vector;
    const panels = Math.ceil(run / 7);
    for (let p = 0; p < panels; p++) {
      const size = Math.floor(run / panels) + (p < run % panels ? 1 : 0);
      entries.push(4 * vector, size, vector + size === vectors ? lastLanes : 4);
      vector += size;
    }
    bounds.push(entries.length / 3);
  }
  plan = { entries: Int32Array.from(entries), bounds };
  if (plans.size > 256) plans.clear();
  plans.set(key, plan);
  return plan;
}

/** Bounds of `threads` line ranges with about the same nonzeros plus lines each. */
export function splitLines(ptr: Int32Array, lines: number, threads: number): number[] {
  const bounds = [0];
  const total = ptr[lines]! + lines;
  for (let t = 1; t < threads; t++) bounds.push(firstRowAtCost(ptr, lines, (t * total) / threads, bounds[t - 1]!));
  bounds.push(lines);
  return bounds;
}

/** The first row r ≥ from with ptr[r] + r ≥ cost (binary search; ptr ascending). */
export function firstRowAtCost(ptr: Int32Array, rows: number, cost: number, from: number): number {
  let lo = from;
  let hi = rows;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ptr[mid]! + mid < cost) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
