import { readFileSync } from "node:fs";
import { Ajv } from "ajv";
import { describe, expect, it } from "vitest";
import { byRank } from "./results.ts";
import { fixtureResults, trialRecord } from "./records.fixture.ts";

const validate = new Ajv({ allErrors: true, allowUnionTypes: true, strict: true }).compile(
  JSON.parse(readFileSync(new URL("../schema/sweep-results.schema.json", import.meta.url), "utf8")),
);

const mixed = () => [
  trialRecord(3, { accuracy: 0.8 }),
  trialRecord(1, { accuracy: 0.9 }),
  trialRecord(2, { accuracy: 0.8 }),
  trialRecord(4, { status: "diverged", error: "diverged: the loss is NaN at step 3 (epoch 1).", accuracy: null, passed: false }),
  trialRecord(5, { status: "failed", error: "internal error: boom", accuracy: null, passed: false, expectations: [] }),
  trialRecord(6, { status: "not_run", error: "not run: --fail-fast stopped the sweep", accuracy: null, passed: false, run_dir: null }),
];

describe("buildResults", () => {
  it("orders trials by plan index and ranks completed ones by the objective, ties by index", () => {
    const results = fixtureResults(mixed());
    expect(results.trials.map((t) => t.index)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(results.trials.map((t) => t.rank)).toEqual([1, 2, 3, null, null, null]);
    expect(byRank(results).map((t) => t.index)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(results.best).toEqual({ index: 1, id: "000000000001", value: 0.9 });
    expect(results.counts).toEqual({ trials: 6, completed: 3, diverged: 1, failed: 1, not_run: 1, passed: 3 });
    expect(results.passed).toBe(false);
  });

  it("goal min ranks the smallest first; a diverged trial's last metrics never count", () => {
    const records = [trialRecord(1), trialRecord(2), trialRecord(3, { status: "diverged", passed: false })];
    const results = fixtureResults(records, { objective: { metric: "valid_loss", goal: "min" } });
    expect(results.trials.map((t) => [t.objective, t.rank])).toEqual([[2, 2], [1, 1], [null, null]]);
  });

  it("checks expect_best on the best trial of a whole plan, never on a shard's", () => {
    const expect_best = { valid_accuracy: { min: 0.95 } };
    const whole = fixtureResults([trialRecord(1, { accuracy: 0.9 })], { expect_best });
    expect(whole.best_expectations).toEqual([{ metric: "valid_accuracy", bound: "min", threshold: 0.95, value: 0.9, passed: false }]);
    expect(whole.passed).toBe(false);
    const shard = fixtureResults([trialRecord(1, { accuracy: 0.9 })], { expect_best, shard: { index: 1, count: 2 } });
    expect(shard.best_expectations).toEqual([]);
    expect(shard.passed).toBe(true);
    expect(fixtureResults([trialRecord(1, { status: "failed", passed: false })], { expect_best }).best_expectations[0]).toMatchObject({ value: null, passed: false });
  });

  it("validates against schema/sweep-results.schema.json, with every status", () => {
    for (const results of [fixtureResults(mixed()), fixtureResults([], { shard: { index: 2, count: 3 } })]) {
      const valid = validate(JSON.parse(JSON.stringify(results)));
      expect(validate.errors ?? [], JSON.stringify(validate.errors)).toEqual([]);
      expect(valid).toBe(true);
    }
  });
});
