import { Rng } from "@crossprop/core";
import type { Config } from "@crossprop/config";
import type { TrialParam } from "./param-text.ts";

export type SweepSection = NonNullable<Config["sweep"]>;
export type RandomSection = NonNullable<SweepSection["random"]>;
export type RandomParam = RandomSection["params"][string];

/**
 * `random.trials` draws of every parameter in `random.params`, reproducible from `random.seed`.
 * Each path draws from its own stream (seed, "sweep:<path>"), so adding or removing a parameter
 * never changes the values drawn for the others. Ranges were checked by section.ts.
 */
export function randomPoints(random: RandomSection): TrialParam[][] {
  const streams = Object.entries(random.params).map(([path, param]) => ({ path, param, rng: new Rng(random.seed, `sweep:${path}`) }));
  const points: TrialParam[][] = [];
  for (let trial = 0; trial < random.trials; trial++) {
    points.push(streams.map(({ path, param, rng }) => ({ path, value: draw(param, rng) })));
  }
  return points;
}

/** One value of `param`. */
export function draw(param: RandomParam, rng: Rng): unknown {
  const { low = 0, high = 0 } = param;
  switch (param.type) {
    case "choice":
      return param.values![rng.int(param.values!.length)];
    case "uniform":
      return low + (high - low) * rng.uniform();
    case "log_uniform":
      // exp(U(ln low, ln high)): equal mass per decade, as learning rates are searched.
      return Math.exp(Math.log(low) + (Math.log(high) - Math.log(low)) * rng.uniform());
    case "int":
      return low + rng.int(high - low + 1);
  }
}
