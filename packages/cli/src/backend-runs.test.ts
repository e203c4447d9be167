import { describe, expect, it } from "vitest";
import { DivergenceError, type RunOutcome } from "@crossprop/run";
import { backendRun, comparisonEntry } from "./backend-runs.ts";
import { resultsTable } from "./results-table.ts";

/** A finished run's outcome with the figures the table and comparison.json show. */
function outcome(backend: string, accuracy: number): RunOutcome {
  const epoch = { epoch: 1, step: 10, train_loss: 0.5, valid_loss: 0.4, valid_accuracy: accuracy, seconds: 1, eval_seconds: 0.1 };
  return {
    result: { backend, engine: "typescript", threads: 1, epochs: [epoch], stepLosses: new Array<number>(10).fill(0.5), stepsPerEpoch: 10, initial: [], final: [], wallSeconds: 1, secondsPerEpoch: 1, samplesPerSecond: 1000 },
    runDir: `out/${backend}`,
    peakRssMb: 100,
    expectations: [],
    warnings: [],
  };
}

const divergence = new DivergenceError("diverged: the loss is Infinity at step 4 (epoch 1). Hint: lower optimizer.lr", {
  epochs: [],
  stepLosses: [0.3, 2.9e12, 1.3e26],
});

describe("backendRun", () => {
  it("a divergence becomes that backend's column, at the step after the recorded ones; the backends after it still train", async () => {
    const trained: string[] = [];
    const runs = [];
    for (const name of ["manual", "autograd", "tfjs"]) {
      runs.push(
        await backendRun(name, `out/${name}`, async () => {
          trained.push(name);
          if (name === "autograd") throw divergence;
          return outcome(name, 0.9);
        }),
      );
    }
    expect(trained).toEqual(["manual", "autograd", "tfjs"]);
    expect(runs[1]).toEqual({ label: "autograd", diverged: { step: 4, evaluations: 0, runDir: "out/autograd", error: divergence } });
    const table = resultsTable(runs, 80);
    expect(table).toMatch(/train_loss\s+│ 0\.5000\s+│ diverged at step 4 │ 0\.5000\s+│/);
    expect(table).toMatch(/valid_accuracy\s+│ 0\.9000\s+│ –\s+│ 0\.9000\s+│/);
    expect(table).toMatch(/steps\s+│ 10\s+│ 3\s+│ 10\s+│/);
    expect(table).toContain("run directories:\n  manual    out/manual\n  autograd  out/autograd\n  tfjs      out/tfjs\n");
    expect(comparisonEntry(runs[1]!)).toEqual({ backend: "autograd", status: "diverged", diverged_at_step: 4, error: divergence.message, run_dir: "out/autograd" });
    expect(comparisonEntry(runs[0]!)).toMatchObject({ backend: "manual", status: "completed", engine: "typescript", final: { valid_accuracy: 0.9 }, warnings: [] });
  });

  it("any other error still ends the command", async () => {
    await expect(backendRun("manual", "out/manual", () => Promise.reject(new Error("disk on fire")))).rejects.toThrow("disk on fire");
  });
});
