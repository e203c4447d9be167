import type { PairTolerance } from "./tolerances.ts";

/** What a step compares between a backend and the reference: its loss, and each kind of tensor (intermediates: z, h, dh, dz per layer). */
export type Quantity = "loss" | "intermediate" | "gradient" | "output" | "parameter";

export const QUANTITIES: readonly Quantity[] = ["loss", "intermediate", "gradient", "output", "parameter"];

/** One backend against the reference at one step, for one quantity: the worst tensor of that kind. */
export interface PairFigure {
  backend: string;
  quantity: Quantity;
  /** The tensor with the largest relative difference ("loss" for the loss). */
  tensor: string;
  max_rel: number;
  /** The bound max_rel is held to: the pair's loss tolerance, or its tensors' rtol. */
  tolerance: number;
}

export interface StepFigures {
  step: number;
  pairs: PairFigure[];
}

/** The rows of one step that step-figures reads: a tensor of one backend against the reference. */
interface ComparedTensor {
  tensor: string;
  kind: Exclude<Quantity, "loss">;
  backend: string;
  max_rel: number;
}

/**
 * A step's figures from its rows: per backend, the loss's relative difference and the worst tensor
 * of each kind — the numbers a per-step chart needs, without any element's data.
 */
export function stepFigures(step: number, lossRel: Readonly<Record<string, number>>, rows: readonly ComparedTensor[], tolerances: Readonly<Record<string, PairTolerance>>, reference: string): StepFigures {
  const pairs: PairFigure[] = [];
  for (const [backend, rel] of Object.entries(lossRel)) {
    const tolerance = tolerances[`${backend}~${reference}`]!;
    pairs.push({ backend, quantity: "loss", tensor: "loss", max_rel: rel, tolerance: tolerance.loss });
    for (const quantity of QUANTITIES.slice(1) as Exclude<Quantity, "loss">[]) {
      let worst: ComparedTensor | null = null;
      for (const row of rows) if (row.backend === backend && row.kind === quantity && (worst === null || worse(row.max_rel, worst.max_rel))) worst = row;
      if (worst) pairs.push({ backend, quantity, tensor: worst.tensor, max_rel: worst.max_rel, tolerance: quantity === "intermediate" ? tolerance.intermediates.rtol : tolerance.tensors.rtol });
    }
  }
  return { step, pairs };
}

/** NaN is worse than any number: it is what a divergence looks like; the first NaN stays the worst. */
function worse(a: number, b: number): boolean {
  if (Number.isNaN(b)) return false;
  return Number.isNaN(a) || a > b;
}
