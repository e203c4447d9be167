import { median } from "@crossprop/run";

/** What one training process reports, whichever system ran it. */
export interface Measurement {
  engine: string;
  /** Median training seconds per pass over the training set, evaluation excluded. */
  secondsPerEpoch: number;
  /** Each epoch's training seconds, in order (the first pays the warm-up: V8's compilers, fresh memory). */
  epochSeconds: number[];
  samplesPerSecond: number;
  peakRssMb: number;
  validAccuracy: number | null;
}

/** A run either measured something or says in one line why not (diverged, exited 2, …). */
export type Outcome = Measurement | { failed: string };

export function isMeasurement(outcome: Outcome): outcome is Measurement {
  return !("failed" in outcome);
}

/** The rounds of one variant folded into one row: medians of the timings, the last accuracy (runs are deterministic). */
export interface Summary {
  engine: string;
  secondsPerEpoch: number;
  rounds: number[];
  /** Medians over the rounds of the first epoch, and of each round's later epochs' median (null with one epoch). */
  firstEpoch: number;
  laterEpochs: number | null;
  samplesPerSecond: number;
  peakRssMb: number;
  validAccuracy: number | null;
}

export function summarise(outcomes: readonly Outcome[]): Summary | { failed: string } | null {
  const measured = outcomes.filter(isMeasurement);
  if (measured.length === 0) return outcomes.find((o): o is { failed: string } => !isMeasurement(o)) ?? null;
  const rounds = measured.map((m) => m.secondsPerEpoch);
  const secondsPerEpoch = median(rounds);
  // samples/s of the median epoch: examples per epoch (rate × time, the same every round) over it.
  const examples = measured[0]!.samplesPerSecond * measured[0]!.secondsPerEpoch;
  const later = measured.filter((m) => m.epochSeconds.length > 1).map((m) => median(m.epochSeconds.slice(1)));
  return {
    engine: measured.at(-1)!.engine,
    secondsPerEpoch,
    rounds,
    firstEpoch: median(measured.map((m) => m.epochSeconds[0] ?? m.secondsPerEpoch)),
    laterEpochs: later.length > 0 ? median(later) : null,
    samplesPerSecond: examples / secondsPerEpoch,
    peakRssMb: median(measured.map((m) => m.peakRssMb)),
    validAccuracy: measured.at(-1)!.validAccuracy,
  };
}

/**
 * Each round's s/epoch of `outcomes` ÷ that of `bases` in the same round (runs seconds apart), and
 * their median: whether the rounds agree, where a process's speed can change from one run to the
 * next. Rounds where either run failed are left out; null when no round has both.
 */
export function ratioByRound(outcomes: readonly Outcome[], bases: readonly Outcome[]): { median: number; rounds: number[] } | null {
  const rounds = outcomes.flatMap((outcome, i) => {
    const base = bases[i];
    return isMeasurement(outcome) && base !== undefined && isMeasurement(base) ? [outcome.secondsPerEpoch / base.secondsPerEpoch] : [];
  });
  return rounds.length === 0 ? null : { median: median(rounds), rounds };
}

export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.join(" | ")} |`;
  return [line(header), line(header.map(() => "---")), ...rows.map(line)].join("\n");
}

const times = (r: number) => `${r < 10 ? r.toFixed(2) : r.toFixed(1)}×`;

export const fmt = {
  seconds: (s: number) => (s < 1 ? s.toFixed(3) : s.toFixed(2)),
  ratio: (r: number | null) => (r === null ? "–" : times(r)),
  /** "0.95× (0.95, 0.96, 1.16)": the median of the rounds' ratios, then each. */
  ratioByRound: (r: { median: number; rounds: number[] } | null) =>
    r === null ? "–" : `${times(r.median)} (${r.rounds.map((x) => times(x).slice(0, -1)).join(", ")})`,
  rate: (n: number) => Math.round(n).toLocaleString("en-US"),
  accuracy: (a: number | null) => (a === null ? "–" : a.toFixed(4)),
};
