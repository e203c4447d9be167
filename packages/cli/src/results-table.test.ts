import { describe, expect, it } from "vitest";
import { displayWidth } from "@crossprop/core";
import type { RunOutcome } from "@crossprop/run";
import type { BackendRun } from "./backend-runs.ts";
import { resultsTable } from "./results-table.ts";

/** A finished run: 30 steps of 10 per epoch, evaluated each epoch. */
function run(label: string): BackendRun {
  const epochs = [1, 2, 3].map((epoch) => ({ epoch, step: epoch * 10, train_loss: 0.5, valid_loss: 0.4, valid_accuracy: 0.9, seconds: 1, eval_seconds: 0.1 }));
  const outcome: RunOutcome = {
    result: { backend: label, engine: "typescript-autograd", threads: 1, epochs, stepLosses: new Array<number>(30).fill(0.5), stepsPerEpoch: 10, initial: [], final: [], wallSeconds: 3, secondsPerEpoch: 1, samplesPerSecond: 12345 },
    runDir: `runs/compare/${label.replace(":", "-")}`,
    peakRssMb: 180,
    expectations: [],
    warnings: [],
  };
  return { label, outcome };
}

const labels = ["manual:typescript", "manual:wasm", "autograd:typescript", "autograd:wasm", "tfjs:wasm", "tfjs:cpu"];
const widest = (text: string) => Math.max(...text.split("\n").map(displayWidth));

describe("resultsTable", () => {
  it("names epochs, steps and evaluations apart", () => {
    const text = resultsTable([run("manual")], 80);
    expect(text).toMatch(/│ epochs +│ 3 +│/);
    expect(text).toMatch(/│ steps +│ 30 +│/);
    expect(text).toMatch(/│ evaluations +│ 3 +│/);
    expect(text.split("\n").at(-1)).toBe("run directory: runs/compare/manual");
  });

  it.each([80, 60, 120])("six backends at %i columns: as many side by side as fit, the rest in tables below, directories last", (width) => {
    const text = resultsTable(labels.map(run), width);
    expect(widest(text)).toBeLessThanOrEqual(width);
    for (const label of labels) expect(text).toMatch(new RegExp(`│ ${label} +│`));
    const tables = text.split("\n").filter((line) => line.startsWith("┌")).length;
    expect(tables).toBeGreaterThan(1);
    expect(text).toContain(`run directories:\n  manual:typescript    runs/compare/manual-typescript\n`);
  });
});
