import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { encodeSafetensors, writeFileAtomic, type ParamList } from "@crossprop/core";
import type { TrainHistory } from "./train.ts";

/**
 * A run's directory. Every file is written whole (temporary file + rename), so a file is
 * complete or absent even if the run is killed; metrics and steps are rewritten each epoch.
 */
export class RunDirectory {
  private constructor(readonly path: string) {}

  /** `out`, or runs/<name>/<backend>-<UTC timestamp>[-n] under `root`. */
  static create(options: { out?: string; root?: string; name: string; backend: string; now?: Date }): RunDirectory {
    if (options.out) {
      mkdirSync(options.out, { recursive: true });
      return new RunDirectory(options.out);
    }
    const stamp = (options.now ?? new Date()).toISOString().replace(/[-:]/g, "").replace("T", "-").slice(0, 15);
    const base = join(options.root ?? "runs", options.name, `${options.backend}-${stamp}`);
    let path = base;
    for (let n = 2; existsSync(path); n++) path = `${base}-${n}`;
    mkdirSync(path, { recursive: true });
    return new RunDirectory(path);
  }

  file(name: string): string {
    return join(this.path, name);
  }

  writeText(name: string, text: string): void {
    writeFileAtomic(this.file(name), text);
  }

  writeJson(name: string, value: unknown): void {
    this.writeText(name, `${JSON.stringify(value, null, 2)}\n`);
  }

  writeParams(name: string, params: ParamList, metadata: Record<string, string>): void {
    writeFileAtomic(this.file(name), encodeSafetensors(params, metadata));
  }

  /** metrics.jsonl (a line per epoch) and steps.jsonl (the loss of every step, in order). */
  writeHistory(history: TrainHistory, stepsPerEpoch: number): void {
    this.writeText("metrics.jsonl", history.epochs.map((e) => JSON.stringify(e) + "\n").join(""));
    this.writeText(
      "steps.jsonl",
      history.stepLosses.map((loss, i) => `{"step":${i + 1},"epoch":${Math.floor(i / stepsPerEpoch) + 1},"loss":${jsonNumber(loss)}}\n`).join(""),
    );
  }
}

/** JSON has no NaN/Infinity: they are written as null. */
function jsonNumber(value: number): string {
  return Number.isFinite(value) ? String(value) : "null";
}
