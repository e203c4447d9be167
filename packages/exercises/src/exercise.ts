import { ALL_ACTIVATIONS, ALL_DTYPES, ALL_LOSSES, ALL_OPTIMIZERS, type Backend } from "@crossprop/core";
import { ExerciseModel } from "./exercise-model.ts";
import { CORRECT, type Formulas } from "./formulas.ts";

/**
 * A backend computing every formula correctly except those `mistakes` replaces: what each file in
 * bugs/ exports, for `crossprop check CONFIG --backends packages/exercises/bugs/<file>,manual,…`.
 */
export function exercise(name: string, mistakes: Partial<Formulas> = {}): Backend {
  const formulas: Formulas = { ...CORRECT, ...mistakes };
  return {
    name,
    supports: { dtypes: ALL_DTYPES, activations: ALL_ACTIVATIONS, losses: ALL_LOSSES, optimizers: ALL_OPTIMIZERS, engines: [] },
    async createModel(spec, initial, optimizer) {
      return new ExerciseModel(spec, initial, optimizer, formulas);
    },
  };
}
