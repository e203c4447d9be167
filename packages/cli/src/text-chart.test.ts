import { displayWidth } from "@crossprop/core";
import { describe, expect, it } from "vitest";
import { downsample, endOfRunChart, stretch } from "./text-chart.ts";

const steps = Array.from({ length: 4660 }, (_, i) => 2.3 * Math.exp(-i / 600) + 0.05);
const epochs = Array.from({ length: 20 }, (_, i) => ({ valid_loss: 1 / (i + 1), valid_accuracy: 0.9 + 0.004 * i }));
const lines = (text: string) => text.split("\n");

describe("endOfRunChart", () => {
  it.each([80, 60, 120, 40])("every line fits %i columns, the loss curve filling what is left of the labels", (width) => {
    const chart = endOfRunChart({ stepLosses: steps, epochs }, { width, colour: false });
    for (const line of lines(chart)) expect(displayWidth(line)).toBeLessThanOrEqual(width);
    const plotted = lines(chart).filter((line) => /[┤┼]/.test(line));
    // 8 rows of loss, 5 of accuracy
    expect(plotted).toHaveLength(13);
    // the widest loss row spans the columns right of the 9-column labels and the axis
    expect(Math.max(...plotted.slice(0, 8).map(displayWidth))).toBe(width - 1);
  });

  it("labels the axes with the curves' ranges, to 4 significant digits", () => {
    const chart = endOfRunChart({ stepLosses: steps, epochs }, { width: 80, colour: false });
    expect(chart).toMatch(/^loss per step, log scale \(4660 steps, each column the mean of ≈66\.6\)$/m);
    expect(chart).toMatch(/^validation accuracy per evaluation \(20\)$/m);
    const labels = lines(chart).flatMap((line) => line.match(/^ *(\S+)[┤┼]/)?.[1] ?? []).map(Number);
    // the first column's mean is the top of the loss axis, the last accuracy the top of its own
    expect(labels[0]).toBe(Number(downsample(steps, 70)[0]!.toPrecision(4)));
    expect(labels[8]).toBe(0.976);
    expect(labels[12]).toBe(0.9);
  });

  it("regression: validation loss instead of accuracy", () => {
    const chart = endOfRunChart({ stepLosses: [3, 2, 1], epochs: [{ valid_loss: 2, valid_accuracy: null }, { valid_loss: 1.5, valid_accuracy: null }] }, { width: 80, colour: false });
    expect(chart).toContain("loss per step (3 steps)\n");
    expect(chart).toContain("validation loss per evaluation (2)\n");
  });

  it("colours the curves only when asked", () => {
    const history = { stepLosses: steps, epochs };
    expect(endOfRunChart(history, { width: 80, colour: false })).not.toContain("\u001b[");
    const coloured = endOfRunChart(history, { width: 80, colour: true });
    expect(coloured).toContain("\u001b[36m");
    expect(coloured).toContain("\u001b[32m");
    for (const line of lines(coloured)) expect(displayWidth(line.replace(/\u001b\[[0-9;]*m/g, ""))).toBeLessThanOrEqual(80);
  });

  it("one step and one evaluation still draw a point; nothing at all draws nothing", () => {
    const single = endOfRunChart({ stepLosses: [1.5], epochs: [{ valid_loss: 1, valid_accuracy: 0.5 }] }, { width: 80, colour: false });
    expect(lines(single).filter((line) => line.includes("┼"))).toHaveLength(2);
    expect(endOfRunChart({ stepLosses: [], epochs: [] }, { width: 80, colour: false })).toBe("");
    expect(endOfRunChart({ stepLosses: steps, epochs }, { width: 15, colour: false })).toBe("");
  });
});

describe("downsample and stretch", () => {
  it("downsample averages near-equal runs and keeps short series whole", () => {
    expect(downsample([1, 2, 3, 4, 5, 6], 3)).toEqual([1.5, 3.5, 5.5]);
    expect(downsample([1, 2], 5)).toEqual([1, 2]);
    expect(downsample(steps, 69)).toHaveLength(69);
  });
  it("stretch interpolates between few points, at most 4 columns apart", () => {
    expect(stretch([0, 1], 100)).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(stretch([0, 1, 0], 5)).toEqual([0, 0.5, 1, 0.5, 0]);
    expect(stretch(Array.from({ length: 50 }, (_, i) => i), 40)).toHaveLength(40);
  });
});

describe("a loss spanning decades", () => {
  it("is drawn on a log scale, labelled with the losses themselves", () => {
    const spiky = [50, 20, 5, ...Array.from({ length: 300 }, (_, i) => 0.5 - i / 1000)];
    const chart = endOfRunChart({ stepLosses: spiky, epochs: [] }, { width: 80, colour: false });
    expect(chart).toMatch(/^loss per step, log scale \(303 steps, each column the mean of ≈4\.3\)$/m);
    const labels = lines(chart).flatMap((line) => line.match(/^ *(\S+)[┤┼]/)?.[1] ?? []).map(Number);
    expect(labels).toHaveLength(8);
    // the first column's mean (50, 20, 5, 0.5 and a bit) tops the axis, the last column's mean the bottom
    expect(labels[0]).toBe(Number(downsample(spiky, 70)[0]!.toPrecision(4)));
    expect(labels[7]).toBe(Number(downsample(spiky, 70)[69]!.toPrecision(4)));
    // evenly spaced in log10: the middle label is about the geometric mean of the ends
    expect(Math.log10(labels[3]!) - Math.log10(labels[4]!)).toBeCloseTo(Math.log10(labels[0]!) - Math.log10(labels[1]!), 1);
  });
  it("but not a loss within a decade", () => {
    expect(endOfRunChart({ stepLosses: [2.3, 2, 1.2, 0.5, 0.3], epochs: [] }, { width: 80, colour: false })).toMatch(/^loss per step \(5 steps\)$/m);
  });
});
