import { cpSync, existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { UserError } from "@crossprop/core";
import { Ajv, type SchemaObject } from "ajv";
import { recordWithoutSummary, type TrialRecord } from "./record.ts";
import { buildResults, type RunInfo, type SweepResults } from "./results.ts";

const schema = JSON.parse(readFileSync(new URL("../schema/sweep-results.schema.json", import.meta.url), "utf8")) as SchemaObject;
const validate = new Ajv({ allErrors: true, allowUnionTypes: true }).compile<SweepResults>(schema);

/** A sweep directory's results.json, checked against its schema; a usage error (exit 2) if it is not one. */
export function readResults(dir: string): SweepResults {
  const file = join(dir, "results.json");
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file (is this a sweep directory?)" : (error as Error).message;
    throw new UserError(`${file}: cannot read sweep results: ${reason}`);
  }
  if (!validate(data)) {
    const first = validate.errors?.[0];
    throw new UserError(`${file}: not sweep results of schema version 1: ${first?.instancePath || "/"} ${first?.message ?? ""}`.trimEnd());
  }
  return data;
}

/**
 * Joins the results of shard directories into one result set for the whole plan, as an unsharded
 * run would have written it: trials in plan order, ranks and the best recomputed over all of
 * them, expect_best checked. Each trial's run directory is copied into `out`. A trial no
 * directory holds is recorded as not_run, so a lost shard shows up instead of shrinking the sweep.
 */
export function mergeResults(dirs: readonly string[], out: string, run: RunInfo): SweepResults {
  const inputs = dirs.map((dir) => ({ dir, results: readResults(dir) }));
  const first = inputs[0]!.results;
  for (const { dir, results } of inputs) {
    if (results.plan.hash !== first.plan.hash) {
      throw new UserError(`${dir}: results of another sweep plan (${results.name}, plan ${results.plan.hash}) than ${inputs[0]!.dir} (${first.name}, plan ${first.plan.hash}); merge only shards of one sweep`);
    }
  }
  const records = new Map<number, TrialRecord>();
  for (const { dir, results } of inputs) {
    for (const trial of results.trials) {
      // The same trial in two directories is the same deterministic run: keep the first that ran it.
      const kept = records.get(trial.index);
      if (kept && (kept.status !== "not_run" || trial.status === "not_run")) continue;
      records.set(trial.index, trial);
      if (trial.run_dir === null) continue;
      const from = resolve(dir, trial.run_dir);
      const to = resolve(out, trial.run_dir);
      if (from !== to && existsSync(from)) cpSync(from, to, { recursive: true });
    }
  }
  for (const entry of first.plan.trials) {
    if (records.has(entry.index)) continue;
    const params = Object.entries(entry.params).map(([path, value]) => ({ path, value }));
    records.set(entry.index, recordWithoutSummary({ ...entry, params }, "not_run", "missing: none of the merged directories holds this trial", null));
  }
  const { name, config_file, plan, objective, expect_best } = first;
  return buildResults({ name, config_file, plan, shard: null, objective, expect_best }, [...records.values()], run);
}
