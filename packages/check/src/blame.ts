import { compareArrays, relativeDifference, unravelIndex } from "@crossprop/core";
import type { PairTolerance } from "./tolerances.ts";

/** One quantity a backend computed at a step, in the order check compares them (see comparedSequence). */
export interface Compared {
  tensor: string;
  kind: "intermediate" | "loss" | "gradient" | "output" | "parameter";
  data: ArrayLike<number>;
  shape: number[];
}

/** Who is wrong, and where first: the answer to "which derivation broke". */
export interface Blame {
  /** The backend that disagrees with every other while they agree among themselves. */
  backend: string;
  /** How it was told: by the others' agreement, or (two backends) by the finite-difference check. */
  evidence: "agreement" | "finite differences";
  /** The backends it was compared with (they agree with each other on everything at this step). */
  witnesses: string[];
  step: number;
  /** Its first quantity, in backprop's order, out of tolerance against the witnesses. */
  tensor: string;
  kind: Compared["kind"];
  index: number[] | null;
  max_rel: number;
  tolerance: number;
  /** The intermediates before it (in backprop's order) that agree: where the derivation was still right. */
  agreeing: string[];
}

export interface Difference {
  tensor: string;
  kind: Compared["kind"];
  index: number[] | null;
  max_rel: number;
  tolerance: number;
}

/** The first quantity of `a` out of tolerance against `b`'s (the same sequence), or null when all agree. */
export function firstDifference(a: readonly Compared[], b: readonly Compared[], tolerance: PairTolerance): Difference | null {
  for (const [i, mine] of a.entries()) {
    const theirs = b[i];
    if (theirs === undefined || theirs.tensor !== mine.tensor) return { tensor: mine.tensor, kind: mine.kind, index: null, max_rel: Infinity, tolerance: tolerance.tensors.rtol };
    if (mine.kind === "loss") {
      const rel = relativeDifference(mine.data[0]!, theirs.data[0]!);
      if (!(rel <= tolerance.loss)) return { tensor: mine.tensor, kind: "loss", index: null, max_rel: rel, tolerance: tolerance.loss };
      continue;
    }
    const bound = mine.kind === "intermediate" ? tolerance.intermediates : tolerance.tensors;
    const diff = compareArrays(mine.data, theirs.data, bound);
    if (!diff.allclose) return { tensor: mine.tensor, kind: mine.kind, index: diff.index < 0 ? null : unravelIndex(diff.index, mine.shape), max_rel: diff.maxRel, tolerance: bound.rtol };
  }
  return null;
}

/**
 * Blame by agreement: at the step of the first divergence, the culprit is the backend that
 * disagrees with every other while all the others agree among themselves — whichever of them is
 * the reference. With two backends agreement cannot tell; then the one whose gradients fail the
 * float64 finite-difference check while the other's pass is the culprit. Otherwise: null.
 */
export function blameByAgreement(
  step: number,
  sequences: ReadonlyMap<string, readonly Compared[]>,
  tolerance: (a: string, b: string) => PairTolerance,
  failsFiniteDifferences: (backend: string) => boolean,
): Blame | null {
  const names = [...sequences.keys()];
  const agree = new Map<string, boolean>();
  const key = (a: string, b: string) => (a < b ? `${a}\n${b}` : `${b}\n${a}`);
  for (const [i, a] of names.entries()) for (const b of names.slice(i + 1)) agree.set(key(a, b), firstDifference(sequences.get(a)!, sequences.get(b)!, tolerance(a, b)) === null);
  const agrees = (a: string, b: string) => agree.get(key(a, b))!;
  let culprit: string | null = null;
  let evidence: Blame["evidence"] = "agreement";
  if (names.length >= 3) {
    const candidates = names.filter((c) => {
      const others = names.filter((n) => n !== c);
      return others.every((o) => !agrees(c, o)) && others.every((a, i) => others.slice(i + 1).every((b) => agrees(a, b)));
    });
    culprit = candidates.length === 1 ? candidates[0]! : null;
  } else if (names.length === 2 && !agrees(names[0]!, names[1]!)) {
    const failing = names.filter(failsFiniteDifferences);
    if (failing.length === 1) {
      culprit = failing[0]!;
      evidence = "finite differences";
    }
  }
  if (culprit === null) return null;
  const witnesses = names.filter((n) => n !== culprit);
  const witness = witnesses[0]!;
  const where = firstDifference(sequences.get(culprit)!, sequences.get(witness)!, tolerance(culprit, witness))!;
  const sequence = sequences.get(culprit)!;
  const upTo = sequence.findIndex((c) => c.tensor === where.tensor);
  const agreeing = sequence.slice(0, upTo).filter((c) => c.kind === "intermediate" && isBackward(c.tensor)).map((c) => c.tensor);
  return { backend: culprit, evidence, witnesses, step, ...where, agreeing };
}

/** A backward-pass intermediate (dlogits, layers.<i>.dh, layers.<i>.dz). */
export function isBackward(tensor: string): boolean {
  return tensor === "dlogits" || tensor.endsWith(".dh") || tensor.endsWith(".dz");
}
