import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { UserError } from "@crossprop/core";
import { readRunSummary, type FinishedRunSummary } from "@crossprop/run";
import { PREDICTIONS_FILE, readPredictions, type Predictions } from "./predictions.ts";
import { readRunTensors, type RunTensors } from "./run-tensors.ts";

/** A line of metrics.jsonl: one evaluation (docs/run-directory.md). */
export interface EvaluationLine {
  epoch: number;
  train_loss: number | null;
  valid_loss: number | null;
  valid_accuracy: number | null;
  seconds?: number;
  eval_seconds?: number;
}

/** A line of steps.jsonl: one training step's loss per example. */
export interface StepLine {
  step: number;
  epoch: number;
  loss_per_example: number | null;
}

/** What a run report is built from: the files of one finished run directory. */
export interface RunFiles {
  dir: string;
  summary: FinishedRunSummary;
  evaluations: EvaluationLine[];
  steps: StepLine[];
  /** config.resolved.yaml as written, or null when absent. */
  resolvedConfig: string | null;
  /** predictions.csv, or null when absent (runs from before it was written). */
  predictions: Predictions | null;
  /** init, final and gradients.safetensors, each null when absent. */
  tensors: RunTensors;
}

/** Reads the run directory `dir`; a path that is not a finished run's directory is a UserError (exit 2). */
export function readRunFiles(dir: string): RunFiles {
  if (!existsSync(dir)) throw new UserError(`run directory ${dir}: no such file or directory`);
  if (!statSync(dir).isDirectory()) throw new UserError(`run directory ${dir}: is a file, not a directory`);
  if (!existsSync(join(dir, "summary.json"))) throw new UserError(`${dir} is not a run directory: it has no summary.json`);
  const summary = readRunSummary(dir);
  if (!summary) throw new UserError(`${dir} holds no finished run: its summary.json is unreadable or says ${statusOf(dir)}, not completed or diverged`);
  const configFile = join(dir, "config.resolved.yaml");
  return {
    dir,
    summary,
    evaluations: readJsonLines<EvaluationLine>(join(dir, "metrics.jsonl")),
    steps: readJsonLines<StepLine>(join(dir, "steps.jsonl")),
    resolvedConfig: existsSync(configFile) ? readFileSync(configFile, "utf8") : null,
    predictions: readPredictions(join(dir, PREDICTIONS_FILE)),
    tensors: readRunTensors(dir),
  };
}

/** The status a summary.json claims, for the message about an unfinished run. */
function statusOf(dir: string): string {
  try {
    const status = (JSON.parse(readFileSync(join(dir, "summary.json"), "utf8")) as { status?: unknown }).status;
    return typeof status === "string" ? `status ${status}` : "no status";
  } catch {
    return "nothing JSON can read";
  }
}

/**
 * The objects of a JSON-lines file (none when absent). A last line without its newline is dropped:
 * only a SIGKILL mid-write leaves one (docs/run-directory.md). Any other unreadable line is an error.
 */
export function readJsonLines<T>(file: string): T[] {
  if (!existsSync(file)) return [];
  const text = readFileSync(file, "utf8");
  const lines = text.split("\n");
  lines.pop(); // "" after the final newline, or the partial last line
  return lines.map((line, i) => {
    try {
      return JSON.parse(line) as T;
    } catch {
      throw new UserError(`${file}:${i + 1}: not a JSON object: ${line.slice(0, 60)}`);
    }
  });
}
