import type { Replacement } from "@crossprop/config";
import type { TrialParam } from "./param-text.ts";
import type { SweepSection } from "./random.ts";

/**
 * A swept value wins over the file's conflicting sibling as a --set does, in each trial it is in;
 * the sweep notes it once, not once per trial:
 * `note: sweep.grid training.steps replaces training.epochs: 20 from configs/mlp.yaml (in 3 of 3 trials)`.
 */
export class SweptReplacements {
  private readonly found = new Map<string, { replacement: Replacement; trials: number }>();

  /** `commandLine`: how many of a trial's overrides are the command line's (noted once, from the base config). */
  constructor(
    private readonly sweep: SweepSection,
    private readonly commandLine: number,
    private readonly total: number,
  ) {}

  /** One trial's replacements; `params` are its swept values, in the order of its overrides after the command line's. */
  add(replacements: readonly Replacement[], params: readonly TrialParam[]): void {
    for (const replacement of replacements) {
      const param = params[replacement.setIndex - this.commandLine];
      if (replacement.setIndex < this.commandLine || param === undefined) continue;
      const origin = `${param.path in this.sweep.grid ? "sweep.grid" : "sweep.random.params"} ${param.path}`;
      const key = `${origin}\u0000${replacement.dropped}`;
      const entry = this.found.get(key) ?? { replacement: { ...replacement, origin }, trials: 0 };
      entry.trials += 1;
      this.found.set(key, entry);
    }
  }

  list(): Replacement[] {
    return [...this.found.values()].map(({ replacement, trials }) => ({ ...replacement, scope: `(in ${trials} of ${this.total} trials)` }));
  }
}
