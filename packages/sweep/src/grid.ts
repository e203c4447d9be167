import type { TrialParam } from "./param-text.ts";

/**
 * The cartesian product of `grid` (path → values), in the order of nested loops written in the
 * file's key order: the first path varies slowest, the last fastest (as itertools.product).
 * An empty grid is one point with no parameters, so it composes with a random search.
 */
export function gridPoints(grid: Readonly<Record<string, readonly unknown[]>>): TrialParam[][] {
  let points: TrialParam[][] = [[]];
  for (const [path, values] of Object.entries(grid)) {
    points = points.flatMap((point) => values.map((value) => [...point, { path, value }]));
  }
  return points;
}

/** How many points gridPoints(grid) makes, computed without making them (may be Infinity). */
export function gridSize(grid: Readonly<Record<string, readonly unknown[]>>): number {
  let size = 1;
  for (const values of Object.values(grid)) size *= values.length;
  return size;
}
