import type { SweepPlan } from "./plan.ts";
import type { ResultsHeader } from "./results.ts";
import type { Shard } from "./shard.ts";

/**
 * What results.json says about a sweep before any trial ran, all of it from the plan (and the
 * command line's --set values, applied to every trial): merge recomputes it from the config and
 * requires every shard's to be exactly this.
 */
export function resultsHeader(plan: SweepPlan, shard: Shard | null, sets: readonly string[]): ResultsHeader {
  return {
    name: plan.name,
    config_file: plan.file,
    plan: {
      hash: plan.hash,
      shape: plan.shape,
      size: plan.trials.length,
      duplicates: plan.duplicates,
      paths: plan.paths,
      sets: [...sets],
      trials: plan.trials.map(({ index, id, params }) => ({ index, id, params: Object.fromEntries(params.map((p) => [p.path, p.value])) })),
    },
    shard,
    objective: { metric: plan.sweep.metric, goal: plan.sweep.goal },
    expect_best: plan.sweep.expect_best,
  };
}
