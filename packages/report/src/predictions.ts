import { existsSync, readFileSync } from "node:fs";
import { UserError } from "@crossprop/core";

/** predictions.csv of a classifier: per validation example, in dataset.valid's order. */
export interface ClassPredictions {
  kind: "classes";
  count: number;
  labels: Int32Array;
  predicted: Int32Array;
  /** The model's probability of the predicted class. */
  probability: Float64Array;
  loss: Float64Array;
}

/** predictions.csv of a regression: targets and predictions, `width` of each per example. */
export interface ValuePredictions {
  kind: "values";
  count: number;
  width: number;
  targets: Float64Array;
  predictions: Float64Array;
  loss: Float64Array;
}

export type Predictions = ClassPredictions | ValuePredictions;

export const PREDICTIONS_FILE = "predictions.csv";
const CLASS_HEADER = "index,label,predicted,probability,loss";

/** Reads predictions.csv (docs/run-directory.md); null when absent; a malformed line names the file and line (exit 2). */
export function readPredictions(file: string): Predictions | null {
  if (!existsSync(file)) return null;
  const lines = readFileSync(file, "utf8").split("\n");
  if (lines.at(-1) === "") lines.pop();
  const header = (lines.shift() ?? "").trim();
  const rows = lines.map((line, i) => parseRow(line, i, file));
  const count = rows.length;
  if (header === CLASS_HEADER) {
    const p: ClassPredictions = { kind: "classes", count, labels: new Int32Array(count), predicted: new Int32Array(count), probability: new Float64Array(count), loss: new Float64Array(count) };
    rows.forEach((row, i) => {
      expectColumns(row, 5, i, file);
      p.labels[i] = classIndex(row[1]!, i, file);
      p.predicted[i] = classIndex(row[2]!, i, file);
      p.probability[i] = row[3]!;
      p.loss[i] = row[4]!;
    });
    return p;
  }
  const width = valueWidth(header);
  if (width === null) throw new UserError(`${file}:1: not a predictions header: ${header.slice(0, 60)} (expected ${CLASS_HEADER} or index,target_0,…,prediction_0,…,loss)`);
  const p: ValuePredictions = { kind: "values", count, width, targets: new Float64Array(count * width), predictions: new Float64Array(count * width), loss: new Float64Array(count) };
  rows.forEach((row, i) => {
    expectColumns(row, 2 + 2 * width, i, file);
    p.targets.set(row.slice(1, 1 + width), i * width);
    p.predictions.set(row.slice(1 + width, 1 + 2 * width), i * width);
    p.loss[i] = row[1 + 2 * width]!;
  });
  return p;
}

/** k for `index,target_0,…,target_{k-1},prediction_0,…,prediction_{k-1},loss`, else null. */
function valueWidth(header: string): number | null {
  const columns = header.split(",");
  const width = (columns.length - 2) / 2;
  if (!Number.isInteger(width) || width < 1) return null;
  const expected = ["index", ...Array.from({ length: width }, (_, j) => `target_${j}`), ...Array.from({ length: width }, (_, j) => `prediction_${j}`), "loss"];
  return expected.join(",") === header ? width : null;
}

/** The numbers of data line `i` (file line i + 2); the index column must count from 0. */
function parseRow(line: string, i: number, file: string): number[] {
  const cells = line.split(",");
  const values = cells.map(Number);
  if (cells.some((cell) => cell.trim() === "") || values.some((v, c) => Number.isNaN(v) && cells[c]!.trim() !== "NaN")) fail(file, i, `not numbers: ${line.slice(0, 60)}`);
  if (values[0] !== i) fail(file, i, `index ${cells[0]} where ${i} was expected (one row per validation example, in order)`);
  return values;
}

function expectColumns(row: number[], columns: number, i: number, file: string): void {
  if (row.length !== columns) fail(file, i, `${row.length} columns where the header has ${columns}`);
}

function classIndex(value: number, i: number, file: string): number {
  if (!Number.isInteger(value) || value < 0) fail(file, i, `class ${value} is not a class index`);
  return value;
}

function fail(file: string, i: number, why: string): never {
  throw new UserError(`${file}:${i + 2}: ${why}`);
}
