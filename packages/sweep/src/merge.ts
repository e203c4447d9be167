import { cpSync, lstatSync, readFileSync, realpathSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { UserError } from "@crossprop/core";
import { Ajv, type SchemaObject } from "ajv";
import { buildPlan } from "./plan.ts";
import { recordWithoutSummary, trialRunDir, type TrialRecord } from "./record.ts";
import { resultsHeader } from "./results-header.ts";
import { buildResults, type ResultsHeader, type RunInfo, type SweepResults } from "./results.ts";
import { verifyShard, type VerifiedTrial } from "./verify-shard.ts";

const schema = JSON.parse(readFileSync(new URL("../schema/sweep-results.schema.json", import.meta.url), "utf8")) as SchemaObject;
const validate = new Ajv({ allErrors: true, allowUnionTypes: true }).compile<SweepResults>(schema);

/** Far above any real sweep's results.json (a 10,000-trial one is about 15 MB); not read past it. */
const MAX_RESULTS_BYTES = 256 * 1024 * 1024;

/** A config name as the config schema allows it, so runs/<name>/… stays one directory under runs/. */
const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** A sweep directory's results.json, checked against its schema; a usage error (exit 2) if it is not one. */
export function readResults(dir: string): SweepResults {
  const file = join(dir, "results.json");
  let data: unknown;
  try {
    const stats = statSync(file);
    // A FIFO would block the read forever, /dev/zero would never end.
    if (!stats.isFile()) throw new Error("not a regular file");
    if (stats.size > MAX_RESULTS_BYTES) throw new Error(`${stats.size} bytes, larger than any sweep's results (${MAX_RESULTS_BYTES})`);
    data = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file (is this a sweep directory?)" : (error as Error).message;
    throw new UserError(`${file}: cannot read sweep results: ${reason}`);
  }
  if (!validate(data)) {
    const first = validate.errors?.[0];
    throw new UserError(`${file}: not sweep results of schema version 1: ${first?.instancePath || "/"} ${first?.message ?? ""}`.trimEnd());
  }
  if (!NAME_PATTERN.test(data.name)) throw new UserError(`${file}: name ${JSON.stringify(data.name)} is not a config name (letters, digits, '.', '_' and '-', not starting with '.')`);
  return data;
}

/** Shards checked against the plan recomputed from their config: what mergeResults joins. */
export interface VerifiedShards {
  header: ResultsHeader;
  shards: { dir: string; trials: VerifiedTrial[] }[];
}

/**
 * Reads and verifies shard directories before anything is written: the plan is recomputed from
 * the config file (and --set values) the results name, every shard must be of that plan, and each
 * shard's results.json must agree with its trials' own directories (verify-shard.ts).
 */
export function verifyShards(dirs: readonly string[]): VerifiedShards {
  const inputs = dirs.map((dir) => ({ dir, results: readResults(dir) }));
  const first = inputs[0]!;
  for (const { dir, results } of inputs) {
    if (results.plan.hash !== first.results.plan.hash) {
      throw new UserError(`${dir}: results of another sweep plan (${results.name}, plan ${results.plan.hash}) than ${first.dir} (${first.results.name}, plan ${first.results.plan.hash}); merge only shards of one sweep`);
    }
  }
  const configFile = first.results.config_file;
  const stats = statSync(configFile, { throwIfNoEntry: false });
  if (!stats?.isFile()) {
    throw new UserError(`${join(first.dir, "results.json")}: config_file ${configFile}: ${stats ? "not a regular file" : "no such file"}; merge recomputes the plan from the sweep's config, so run it where the sweep ran`);
  }
  const sets = first.results.plan.sets ?? [];
  const plan = buildPlan(configFile, sets);
  const header = resultsHeader(plan, null, sets);
  return { header, shards: inputs.map(({ dir, results }) => ({ dir, trials: verifyShard(dir, results, { ...header, shard: results.shard }, plan.trials) })) };
}

/**
 * Joins verified shards into one result set for the whole plan, as an unsharded run would have
 * written it: trials in plan order, ranks and the best recomputed over all of them, expect_best
 * checked. Each trial's run directory is copied into `out/trials/<id>`. A trial no directory
 * holds is recorded as not_run, so a lost shard shows up instead of shrinking the sweep.
 */
export function mergeResults(verified: VerifiedShards, out: string, run: RunInfo): SweepResults {
  const kept = new Map<number, VerifiedTrial>();
  for (const { trials } of verified.shards) {
    for (const trial of trials) {
      // The same trial in two directories is the same deterministic run: keep the first that ran it.
      const earlier = kept.get(trial.record.index);
      if (earlier && (earlier.record.status !== "not_run" || trial.record.status === "not_run")) continue;
      kept.set(trial.record.index, trial);
    }
  }
  copyTrialDirectories([...kept.values()], out);
  const records: TrialRecord[] = [...kept.values()].map((trial) => trial.record);
  for (const entry of verified.header.plan.trials) {
    if (kept.has(entry.index)) continue;
    const params = Object.entries(entry.params).map(([path, value]) => ({ path, value }));
    records.push(recordWithoutSummary({ ...entry, params }, "not_run", "missing: none of the merged directories holds this trial", null));
  }
  return buildResults(verified.header, records, run);
}

/** Copies each kept trial's directory to out/trials/<id>; every destination is checked before any is written. */
function copyTrialDirectories(trials: readonly VerifiedTrial[], out: string): void {
  const refuse = (path: string, problem: string) => new UserError(`${path}: ${problem}; merge writes trial directories only inside --out`);
  const trialsDir = join(out, "trials");
  const trialsStats = lstatSync(trialsDir, { throwIfNoEntry: false });
  if (trialsStats && !trialsStats.isDirectory()) throw refuse(trialsDir, trialsStats.isSymbolicLink() ? "a symbolic link" : "not a directory");
  const copies: { from: string; to: string }[] = [];
  for (const { record, dir } of trials) {
    if (dir === null) continue;
    const to = join(out, trialRunDir(record.id));
    const stats = lstatSync(to, { throwIfNoEntry: false });
    if (stats && !stats.isDirectory()) throw refuse(to, stats.isSymbolicLink() ? "a symbolic link" : "not a directory");
    // Merging into one of the shards: its own trials are already in place.
    if (stats && realpathSync(to) === realpathSync(dir)) continue;
    copies.push({ from: dir, to });
  }
  for (const { from, to } of copies) {
    rmSync(to, { recursive: true, force: true });
    cpSync(from, to, { recursive: true });
  }
}
