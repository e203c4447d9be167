import { describe, expect, it } from "vitest";
import { short } from "./downsample.ts";
import { absStepDifferenceChart, overlaidEvaluationChart, overlaidStepLossChart, stepDifferenceChart, type NamedRun } from "./overlay-charts.ts";
import { lineMarks } from "./comparison.fixture.ts";
import { chartFigure } from "./page.ts";
import type { StepLine } from "./run-files.ts";
import { stepLossDifferences } from "./step-differences.ts";

const steps = (losses: number[]): StepLine[] => losses.map((loss, i) => ({ step: i + 1, epoch: 1, loss_per_example: loss }));
const evaluations = (accuracies: number[]) => accuracies.map((a, i) => ({ epoch: i + 1, train_loss: 1, valid_loss: 1, valid_accuracy: a }));
const values = (spec: { data?: unknown }) => (spec.data as { values: Record<string, unknown>[] }).values;

const manual: NamedRun = { name: "manual", steps: steps([2.5, 2.25, 2.0, 1.75]), evaluations: evaluations([0.5, 0.6]) };
const tfjs: NamedRun = { name: "tfjs", steps: steps([2.5, 2.2500001, 1.9999997, 1.75]), evaluations: evaluations([0.5, 0.61]) };
const diverged: NamedRun = { name: "autograd", steps: steps([2.5, 2.2500002]), evaluations: [] };

describe("overlaid charts", () => {
  it("draw one line per run, a diverged run's ending at its last step", async () => {
    const html = await chartFigure("step-loss", overlaidStepLossChart([manual, diverged, tfjs], false));
    expect(lineMarks(html, "step-loss")).toEqual([
      { run: "manual", vertices: 4 },
      { run: "autograd", vertices: 2 },
      { run: "tfjs", vertices: 4 },
    ]);
    const accuracy = await chartFigure("valid-accuracy", overlaidEvaluationChart([manual, tfjs], "valid_accuracy"));
    expect(lineMarks(accuracy, "valid-accuracy")).toEqual([{ run: "manual", vertices: 2 }, { run: "tfjs", vertices: 2 }]);
  });

  it("keep each run's colour on every chart, the reference's too (it draws no difference line)", async () => {
    const colours = (html: string) => [...html.matchAll(/aria-roledescription="line mark" d="[^"]*" stroke="(#[0-9a-f]+)"/g)].map((m) => m[1]);
    const loss = await chartFigure("a", overlaidStepLossChart([manual, tfjs], false));
    const difference = await chartFigure("b", stepDifferenceChart([{ name: "tfjs", differences: stepLossDifferences(manual.steps, tfjs.steps) }], "manual"));
    expect(colours(difference)).toEqual([colours(loss)[1]]);
  });

  it("put every step's loss in, 4 significant digits, at most 2,000 points per run", () => {
    const long: NamedRun = { name: "long", steps: steps(Array.from({ length: 9000 }, (_, i) => 2 / (1 + i / 100))), evaluations: [] };
    const points = values(overlaidStepLossChart([manual, long], true));
    expect(points.filter((p) => p.run === "manual").map((p) => p.loss)).toEqual([2.5, 2.25, 2, 1.75]);
    expect(points.filter((p) => p.run === "long").length).toBeLessThanOrEqual(2000);
  });
});

describe("loss difference charts", () => {
  const differences = [{ name: "tfjs", differences: stepLossDifferences(manual.steps, tfjs.steps) }];

  it("plot the steps.jsonl differences, run − reference, to 4 significant digits", () => {
    expect(values(stepDifferenceChart(differences, "manual"))).toEqual([
      { run: "tfjs", step: 1, delta: 0 },
      { run: "tfjs", step: 2, delta: short(2.2500001 - 2.25) },
      { run: "tfjs", step: 3, delta: short(1.9999997 - 2.0) },
      { run: "tfjs", step: 4, delta: 0 },
    ]);
  });

  it("put |Δ| on a log scale, identical losses drawn at the floor", () => {
    const spec = absStepDifferenceChart(differences, "manual", 1e-17);
    expect(values(spec).map((p) => p.magnitude)).toEqual([1e-17, short(2.2500001 - 2.25), short(2.0 - 1.9999997), 1e-17]);
    expect(JSON.stringify(spec)).toContain('"scale":{"type":"log"}');
  });
});
