import type { ParamList } from "@crossprop/core";
import type { Config } from "@crossprop/config";

export interface ExpectationResult {
  /** A metric name, or "parameters.<name>". */
  metric: string;
  /** min/max bound a metric; atol bounds max |final − expected| of a parameter. */
  bound: "min" | "max" | "atol";
  threshold: number;
  /** The metric's value, or the parameter's largest |final − expected|; null when missing. */
  value: number | null;
  passed: boolean;
}

/** Checks the config's `expect:` bounds against final metrics and parameters. */
export function checkExpectations(expect: Config["expect"], metrics: Record<string, number | null>, params: ParamList = []): ExpectationResult[] {
  const results: ExpectationResult[] = [];
  const { parameters, ...bounded } = expect;
  for (const [metric, bounds] of Object.entries(bounded) as [string, { min?: number; max?: number } | undefined][]) {
    if (!bounds) continue;
    const value = metrics[metric] ?? null;
    for (const bound of ["min", "max"] as const) {
      const threshold = bounds[bound];
      if (threshold === undefined) continue;
      const passed = value !== null && Number.isFinite(value) && (bound === "min" ? value >= threshold : value <= threshold);
      results.push({ metric, bound, threshold, value, passed });
    }
  }
  // By name through a map: a find per expected entry was quadratic (40,000 entries took 36 s).
  const byName = new Map(params.map((param) => [param.name, param]));
  for (const [name, { values, atol }] of Object.entries(parameters ?? {})) {
    const param = byName.get(name);
    let value: number | null = null;
    if (param && param.data.length === values.length) {
      value = 0;
      for (let i = 0; i < values.length; i++) value = Math.max(value, Math.abs(param.data[i]! - values[i]!));
    }
    results.push({ metric: `parameters.${name}`, bound: "atol", threshold: atol, value, passed: value !== null && value <= atol });
  }
  return results;
}

export function describeExpectation(result: ExpectationResult): string {
  const value = result.value === null ? "missing or of another size" : String(Number(result.value.toPrecision(6)));
  if (result.bound === "atol") {
    return `${result.passed ? "✓" : "✗"} expect ${result.metric} within ${result.threshold} of the given values: largest difference ${value}`;
  }
  return `${result.passed ? "✓" : "✗"} expect ${result.metric} ${result.bound === "min" ? "≥" : "≤"} ${result.threshold}: got ${value}`;
}

/** A bound `--no-expect` skipped, with the value it would have judged: `– expect valid_accuracy ≥ 0.915: not checked (--no-expect); got 0.8912`. */
export function describeUnchecked(result: ExpectationResult): string {
  return describeExpectation(result).replace(/^[✓✗]/, "–").replace(/: (got|largest difference) /, ": not checked (--no-expect); $1 ");
}
