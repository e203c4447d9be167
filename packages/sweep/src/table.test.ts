import { describe, expect, it } from "vitest";
import { displayWidth } from "@crossprop/core";
import { fixtureResults, resultsHeader, trialRecord } from "./records.fixture.ts";
import { planTable, resultsTable } from "./table.ts";
import type { PlannedTrial, SweepPlan } from "./plan.ts";

const widest = (text: string) => Math.max(...text.split("\n").map(displayWidth));
const results = () => fixtureResults([1, 2, 3, 4].map((i) => trialRecord(i, { params: { "optimizer.lr": i / 10, "model.hidden": [128, 64] } })));

describe("resultsTable", () => {
  it("at 120 columns: every column, nothing said to be missing", () => {
    const text = resultsTable(results(), 120);
    expect(widest(text)).toBeLessThanOrEqual(120);
    expect(text).toMatch(/│ rank │/);
    expect(text).not.toContain("not shown");
  });

  it("at 80 columns: rank and the metrics that are not the objective go first, and a line says so", () => {
    const text = resultsTable(results(), 80);
    expect(widest(text)).toBeLessThanOrEqual(80);
    expect(text).not.toMatch(/│ rank │/);
    expect(text).toMatch(/│ 0\.5400 +│/); // the objective, valid_accuracy, of trial 4
    expect(text.split("\n").at(-1)).toMatch(/^not shown at 80 columns: rank, valid_loss, train_loss.* \(all in results\.csv\)$/);
  });

  it("keeps the objective when it is a loss", () => {
    const text = resultsTable(fixtureResults([trialRecord(1), trialRecord(2)], { objective: { metric: "train_loss", goal: "min" } }), 80);
    expect(text).toMatch(/│ train_\s|│ train_loss/);
    const note = text.split("\n").at(-1)!;
    expect(note).toMatch(/^not shown at 80 columns: rank, /);
    expect(note).not.toContain("train_loss");
  });

  it("at 60 columns: cells break over lines rather than overflow", () => {
    expect(widest(resultsTable(results(), 60))).toBeLessThanOrEqual(60);
  });
});

describe("planTable", () => {
  it("fits 80 and 60 columns", () => {
    const header = resultsHeader();
    const plan = { paths: header.plan.paths } as SweepPlan;
    const trials = [1, 2].map((index) => ({ index, id: index.toString(16).padStart(12, "0"), params: [{ path: "optimizer.lr", value: 0.1 }, { path: "model.hidden", value: [512, 256, 128] }] }) as PlannedTrial);
    for (const width of [80, 60]) {
      const text = planTable(plan, trials, () => false, width);
      expect(widest(text)).toBeLessThanOrEqual(width);
      expect(text).toContain("to run");
    }
  });
});
