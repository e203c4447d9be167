import type { TrialRecord } from "./record.ts";
import { buildResults, type ResultsHeader, type RunInfo, type SweepResults } from "./results.ts";

/** Test helpers: trial records and result sets built by hand, without training anything. */

export function trialRecord(index: number, overrides: Partial<TrialRecord> & { accuracy?: number | null } = {}): TrialRecord {
  const { accuracy = 0.5 + index / 100, ...rest } = overrides;
  const status = rest.status ?? "completed";
  return {
    index,
    id: index.toString(16).padStart(12, "0"),
    params: { "optimizer.lr": index / 10, "model.hidden": [16] },
    status,
    error: null,
    backend: "manual",
    engine: "typescript",
    metrics: { train_loss: 1 / index, valid_loss: 2 / index, valid_accuracy: accuracy, epochs: 1, steps: 10, evaluations: 1 },
    objective: null,
    rank: null,
    expectations: [{ metric: "valid_accuracy", bound: "min", threshold: 0.5, value: accuracy, passed: true }],
    passed: status === "completed",
    run_dir: `trials/${index.toString(16).padStart(12, "0")}`,
    timings: { wall_seconds: 1.5, seconds_per_epoch: 1.2, samples_per_second: 800, elapsed_seconds: 2, resumed: false },
    ...rest,
  };
}

export function resultsHeader(overrides: Partial<ResultsHeader> = {}): ResultsHeader {
  return {
    name: "fixture",
    config_file: "configs/sweeps/fixture.yaml",
    plan: { hash: "0123456789ab", shape: "4 grid", size: 4, duplicates: 0, paths: ["optimizer.lr", "model.hidden"], trials: [] },
    shard: null,
    objective: { metric: "valid_accuracy", goal: "max" },
    expect_best: {},
    ...overrides,
  };
}

export const runInfo: RunInfo = {
  kind: "sweep",
  started_at: "2025-01-01T00:00:00.000Z",
  finished_at: "2025-01-01T00:00:10.000Z",
  wall_seconds: 10,
  workers: 2,
  merged_from: [],
};

export function fixtureResults(records: TrialRecord[], header: Partial<ResultsHeader> = {}): SweepResults {
  return buildResults(resultsHeader(header), records, runInfo);
}
