import { join } from "node:path";
import { UserError } from "@crossprop/core";
import { canonicalJson } from "./identity.ts";
import type { PlannedTrial } from "./plan.ts";
import { recordFromSummary, recordWithoutSummary, trialRunDir, type TrialRecord } from "./record.ts";
import { buildResults, type ResultsHeader, type SweepResults } from "./results.ts";
import { inShard } from "./shard.ts";
import { rejudged, trialEvidence } from "./trial-evidence.ts";

/** A trial of a shard as verified: its record, and the directory holding it (null if none). */
export interface VerifiedTrial {
  record: TrialRecord;
  dir: string | null;
}

/**
 * A shard's results.json checked as evidence against the plan recomputed from the config
 * (`expected`, its header, and `trials`): its header must be the plan's; its trials exactly the
 * plan's trials of its shard, with the plan's ids and values, in order; each run_dir exactly
 * trials/<id>; each record what the trial's own directory shows (trial-evidence.ts); and its
 * best, counts and ranks what its trials make them. Any mismatch is a usage error (exit 2) naming
 * the file. A trial whose directory is missing becomes not_run, as a lost shard's trials are.
 */
export function verifyShard(dir: string, results: SweepResults, expected: ResultsHeader, trials: readonly PlannedTrial[]): VerifiedTrial[] {
  const file = join(dir, "results.json");
  const fail = (problem: string) => new UserError(`${file}: ${problem}`);

  // expect_best is not compared: a shard's results never judge it, and the merge judges it by the config's bounds now.
  for (const key of ["name", "plan", "objective"] as const) {
    const recorded = key === "plan" ? { ...results.plan, sets: results.plan.sets ?? [] } : results[key];
    const difference = firstDifference(recorded, expected[key], key);
    if (difference) {
      throw fail(`not the plan recomputed from ${expected.config_file} (plan ${expected.plan.hash}): ${difference.path} is ${describeValue(difference.a)}, the plan's is ${describeValue(difference.b)}`);
    }
  }
  const { shard } = results;
  if (shard && shard.index > shard.count) throw fail(`shard ${shard.index}/${shard.count} does not exist`);

  const mine = trials.filter((trial) => inShard(trial.index, shard));
  const scope = shard ? `shard ${shard.index}/${shard.count}` : "the plan";
  results.trials.forEach((record, position) => {
    const planned = trials[record.index - 1];
    if (!planned) throw fail(`trial #${record.index} is not in the plan (trials #1–#${trials.length})`);
    if (!inShard(record.index, shard)) throw fail(`trial #${record.index} is not in ${scope}`);
    if (record.id !== planned.id) throw fail(`trial #${record.index} has id ${record.id}, but the plan's trial #${record.index} is ${planned.id}`);
    if (mine[position]?.index !== record.index) throw fail(`trial #${record.index} is out of plan order, or listed twice`);
  });
  if (results.trials.length !== mine.length) throw fail(`lists ${results.trials.length} trials, but ${scope} has ${mine.length} (missing: #${mine.slice(results.trials.length).map((t) => t.index).join(", #")})`);

  const verified = results.trials.map((record, position) => {
    const trial = mine[position]!;
    return verifyTrial(dir, record, trial, (problem) => fail(`trial #${trial.index} (${trial.id}): ${problem}`));
  });
  // What results.json derives from its trials must follow from them.
  const rebuilt = buildResults(results, results.trials, results.run);
  for (const key of ["best", "best_expectations", "counts", "passed"] as const) {
    if (canonicalJson(rebuilt[key]) !== canonicalJson(results[key])) throw fail(`${key} is ${describeValue(results[key])}, but its trials make it ${describeValue(rebuilt[key])}`);
  }
  results.trials.forEach((record, position) => {
    for (const key of ["objective", "rank"] as const) {
      const derived = rebuilt.trials[position]![key];
      if (record[key] !== derived) throw fail(`trial #${record.index} (${record.id}): ${key} is ${record[key]}, but the trials make it ${derived}`);
    }
  });
  return verified;
}

/** One record against its trial's directory. */
function verifyTrial(dir: string, record: TrialRecord, trial: PlannedTrial, fail: (problem: string) => UserError): VerifiedTrial {
  const runDir = trialRunDir(trial.id);
  if (canonicalJson(record.params) !== canonicalJson(Object.fromEntries(trial.params.map((p) => [p.path, p.value])))) {
    throw fail(`params ${canonicalJson(record.params)} are not the plan's ${canonicalJson(Object.fromEntries(trial.params.map((p) => [p.path, p.value])))}`);
  }
  if (record.run_dir !== null && record.run_dir !== runDir) throw fail(`run_dir ${JSON.stringify(record.run_dir)} is not ${runDir}: a trial's directory is trials/<id> inside its sweep directory`);
  const evidence = trialEvidence(dir, trial.id);
  const summaryFile = join(evidence.dir, "summary.json");

  if (evidence.kind === "missing") {
    if (record.status === "not_run") return { record, dir: null };
    return { record: recordWithoutSummary(trial, "not_run", `missing: ${evidence.dir} does not exist (recorded as ${record.status})`, null), dir: null };
  }
  if (evidence.kind === "finished") {
    const shown = recordFromSummary(trial, evidence.summary, record.timings.elapsed_seconds);
    // A trial that finished as the sweep was stopped may be recorded not_run: its verified summary stands.
    // The shard's judgement is not compared: it may have re-judged by its bounds then, and the merge re-judges by the plan's now.
    if (record.status !== "not_run") compare({ ...record, expectations: shown.expectations, passed: shown.passed }, shown, summaryFile, fail);
    const judged = trial.expect ? recordFromSummary(trial, rejudged(evidence, trial.expect), record.timings.elapsed_seconds) : shown;
    return { record: judged, dir: evidence.dir };
  }
  if (record.status === "completed" || record.status === "diverged") {
    throw fail(`status is ${record.status}, but ${summaryFile} does not say the run finished`);
  }
  const shown = recordWithoutSummary(trial, record.status, record.error ?? "", record.run_dir, record.timings.elapsed_seconds);
  compare(record, { ...shown, error: record.error }, `${evidence.dir} (no finished summary.json)`, fail);
  return { record, dir: record.run_dir === null ? null : evidence.dir };
}

/** The first field where `record` (results.json) differs from what the trial directory shows. */
function compare(record: TrialRecord, shown: TrialRecord, source: string, fail: (problem: string) => UserError): void {
  const { objective: _o, rank: _r, timings, ...fields } = record;
  const { objective: _so, rank: _sr, timings: shownTimings, ...shownFields } = shown;
  const measured = ({ wall_seconds, seconds_per_epoch, samples_per_second }: TrialRecord["timings"]) => ({ wall_seconds, seconds_per_epoch, samples_per_second });
  const pairs: [string, unknown, unknown][] = [
    ...Object.keys(shownFields).map((key): [string, unknown, unknown] => [key, fields[key as keyof typeof fields], shownFields[key as keyof typeof shownFields]]),
    ["timings", measured(timings), measured(shownTimings)],
  ];
  for (const [key, said, seen] of pairs) {
    const difference = firstDifference(said, seen, key);
    if (difference) throw fail(`${difference.path} is ${describeValue(difference.a)} in results.json, but ${describeValue(difference.b)} in ${source}`);
  }
}

/** JSON text, shortened; `absent` for a missing key. */
function describeValue(value: unknown): string {
  const text = canonicalJson(value) ?? "absent";
  return text.length > 120 ? `${text.slice(0, 117)}…` : text;
}

/** The first path (depth-first) where two JSON values differ, e.g. `plan.trials[4]`, with both values; null if equal. */
function firstDifference(a: unknown, b: unknown, path: string): { path: string; a: unknown; b: unknown } | null {
  if (canonicalJson(a) === canonicalJson(b)) return null;
  if (a !== null && b !== null && typeof a === "object" && typeof b === "object" && Array.isArray(a) === Array.isArray(b)) {
    for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
      const inner = firstDifference((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key], Array.isArray(a) ? `${path}[${key}]` : `${path}.${key}`);
      if (inner) return inner;
    }
  }
  return { path, a, b };
}
