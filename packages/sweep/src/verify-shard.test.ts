import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { removeConfigs, writeConfig } from "@crossprop/config/fixtures";
import { readRunSummary } from "@crossprop/run";
import { buildPlan } from "./plan.ts";
import { recordFromSummary, trialRunDir } from "./record.ts";
import { runInfo } from "./records.fixture.ts";
import { resultsHeader } from "./results-header.ts";
import { buildResults, type SweepResults } from "./results.ts";
import { runTrial } from "./run-trial.ts";
import { verifyShard } from "./verify-shard.ts";

const dir = mkdtempSync(join(tmpdir(), "crossprop-verify-"));
afterAll(() => {
  removeConfigs();
  rmSync(dir, { recursive: true, force: true });
});

// Two real trials (100 images, 784 → 10, one epoch), run once; each case edits the results in memory.
const plan = buildPlan(writeConfig("name: verify\ndata: { train_size: 100, test_size: 100 }\nmodel: { hidden: [] }\nsweep:\n  grid:\n    optimizer.lr: [0.1, 0.5]\n"));
const header = resultsHeader(plan, null, []);
let results: SweepResults;

beforeAll(async () => {
  // In this thread, as a sweep's worker would run them.
  for (const trial of plan.trials) await runTrial({ file: plan.file, text: plan.text, sets: trial.sets, dir: join(dir, trialRunDir(trial.id)), threads: 1 });
  const records = plan.trials.map((trial) => recordFromSummary(trial, readRunSummary(join(dir, trialRunDir(trial.id)))!, 1));
  results = buildResults(header, records, runInfo);
});

/** A deep copy of the results with `edit` applied. */
const edited = (edit: (copy: SweepResults) => void) => {
  const copy = structuredClone(results);
  edit(copy);
  return copy;
};
const file = () => join(dir, "results.json");

describe("verifyShard", () => {
  it("the results a sweep wrote verify, each trial with its directory", () => {
    const verified = verifyShard(dir, results, header, plan.trials);
    expect(verified.map((v) => [v.record.status, v.dir])).toEqual(plan.trials.map((t) => ["completed", join(dir, "trials", t.id)]));
    // objective and rank are the merge's to recompute
    const unranked = (record: SweepResults["trials"][number]) => ({ ...record, objective: null, rank: null });
    expect(verified.map((v) => unranked(v.record))).toEqual(results.trials.map(unranked));
  });

  it("a header that is not the recomputed plan's names the first differing path", () => {
    const other = edited((r) => (r.objective.goal = "min"));
    expect(() => verifyShard(dir, other, header, plan.trials)).toThrow(`${file()}: not the plan recomputed from ${plan.file} (plan ${plan.hash}): objective.goal is "min", the plan's is "max"`);
    const sets = edited((r) => (r.plan.sets = ["seed=1"]));
    expect(() => verifyShard(dir, sets, header, plan.trials)).toThrow(`plan.sets[0] is "seed=1", the plan's is absent`);
  });

  it("trials out of order, listed twice, or missing", () => {
    const swapped = edited((r) => r.trials.reverse());
    expect(() => verifyShard(dir, swapped, header, plan.trials)).toThrow(`${file()}: trial #2 is out of plan order, or listed twice`);
    const missing = edited((r) => r.trials.pop());
    expect(() => verifyShard(dir, missing, header, plan.trials)).toThrow(`${file()}: lists 1 trials, but the plan has 2 (missing: #2)`);
  });

  it("a record that is not what its directory shows names the field", () => {
    const id = plan.trials[0]!.id;
    const engine = edited((r) => (r.trials[0]!.engine = "tfjs-wasm"));
    expect(() => verifyShard(dir, engine, header, plan.trials)).toThrow(new RegExp(`: trial #1 \\(${id}\\): engine is "tfjs-wasm" in results\\.json, but "\\w+" in .*/trials/${id}/summary\\.json$`));
    const params = edited((r) => (r.trials[0]!.params = { "optimizer.lr": 0.3 }));
    expect(() => verifyShard(dir, params, header, plan.trials)).toThrow(`trial #1 (${id}): params {"optimizer.lr":0.3} are not the plan's {"optimizer.lr":0.1}`);
    const rank = edited((r) => (r.trials[0]!.rank = 7));
    expect(() => verifyShard(dir, rank, header, plan.trials)).toThrow(`trial #1 (${id}): rank is 7, but the trials make it`);
    const counts = edited((r) => (r.counts.passed = 0));
    expect(() => verifyShard(dir, counts, header, plan.trials)).toThrow(/: counts is \{.*"passed":0.*\}, but its trials make it \{.*"passed":2.*\}$/);
  });
});
