import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readPredictions } from "./predictions.ts";

function csv(text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), "crossprop-predictions-")), "predictions.csv");
  writeFileSync(file, text);
  return file;
}

describe("readPredictions", () => {
  it("reads a classifier's rows: labels, predictions, the predicted class's probability and the loss", () => {
    const p = readPredictions(csv("index,label,predicted,probability,loss\n0,7,7,0.9981,0.001902\n1,2,3,0.61,1.204\n2,1,1,NaN,NaN\n"));
    expect(p?.kind).toBe("classes");
    if (p?.kind !== "classes") return;
    expect(p.count).toBe(3);
    expect([...p.labels]).toEqual([7, 2, 1]);
    expect([...p.predicted]).toEqual([7, 3, 1]);
    expect(p.probability[1]).toBe(0.61);
    expect(p.loss[0]).toBe(0.001902);
    expect(p.probability[2]).toBeNaN();
  });

  it("reads a regression's targets and predictions, k of each per row", () => {
    const p = readPredictions(csv("index,target_0,target_1,prediction_0,prediction_1,loss\n0,1.5,-2,1.25,-1.5,0.15625\n1,3,4,3,4.5,0.125\n"));
    expect(p?.kind).toBe("values");
    if (p?.kind !== "values") return;
    expect(p.width).toBe(2);
    expect([...p.targets]).toEqual([1.5, -2, 3, 4]);
    expect([...p.predictions]).toEqual([1.25, -1.5, 3, 4.5]);
    expect([...p.loss]).toEqual([0.15625, 0.125]);
  });

  it("is null for an absent file (a run from before predictions were saved)", () => {
    expect(readPredictions(join(tmpdir(), "no-such-dir-crossprop", "predictions.csv"))).toBeNull();
  });

  it("names the file and line of a malformed row", () => {
    const header = "index,label,predicted,probability,loss\n";
    expect(() => readPredictions(csv(`${header}0,1,1,0.9,0.1\n1,1,x,0.9,0.1\n`))).toThrow(/predictions\.csv:3: not numbers: 1,1,x/);
    expect(() => readPredictions(csv(`${header}0,1,1,0.9,0.1\n5,1,1,0.9,0.1\n`))).toThrow(/predictions\.csv:3: index 5 where 1 was expected/);
    expect(() => readPredictions(csv(`${header}0,1,1,0.9\n`))).toThrow(/predictions\.csv:2: 4 columns where the header has 5/);
    expect(() => readPredictions(csv(`${header}0,1.5,1,0.9,0.1\n`))).toThrow(/predictions\.csv:2: class 1\.5 is not a class index/);
    expect(() => readPredictions(csv("index,guess\n0,1\n"))).toThrow(/predictions\.csv:1: not a predictions header: index,guess/);
  });
});
