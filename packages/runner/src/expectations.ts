import type { Config } from "./config/index.ts";

export interface ExpectationResult {
  metric: string;
  bound: "min" | "max";
  threshold: number;
  value: number | null;
  passed: boolean;
}

/** Checks the config's `expect:` bounds against final metrics. */
export function checkExpectations(expect: Config["expect"], metrics: Record<string, number | null>): ExpectationResult[] {
  const results: ExpectationResult[] = [];
  for (const [metric, bounds] of Object.entries(expect) as [string, { min?: number; max?: number } | undefined][]) {
    if (!bounds) continue;
    const value = metrics[metric] ?? null;
    for (const bound of ["min", "max"] as const) {
      const threshold = bounds[bound];
      if (threshold === undefined) continue;
      const passed = value !== null && Number.isFinite(value) && (bound === "min" ? value >= threshold : value <= threshold);
      results.push({ metric, bound, threshold, value, passed });
    }
  }
  return results;
}

export function describeExpectation(result: ExpectationResult): string {
  const relation = result.bound === "min" ? "≥" : "≤";
  const value = result.value === null ? "missing" : String(Number(result.value.toFixed(6)));
  return `${result.passed ? "✓" : "✗"} expect ${result.metric} ${relation} ${result.threshold}: got ${value}`;
}
