import { appendFileSync, closeSync, ftruncateSync, mkdirSync, openSync, readdirSync, rmSync, statSync, truncateSync, writeFileSync, writeSync } from "node:fs";
import { dirname, join } from "node:path";
import { encodeSafetensors, predictionsCsv, UserError, writeFileAtomic, type DType, type ParamList } from "@crossprop/core";
import type { EndOfRun } from "./end-of-run.ts";
import { ioReason, prepareDirectory, writingTo } from "./output-path.ts";
import { RunLock } from "./run-lock.ts";
import type { TrainHistory } from "./train.ts";

/**
 * The files a run (or a comparison of runs) writes into its directory. `--force` removes these,
 * and their temporary siblings (`<name>.tmp-<pid>`) a killed run left — nothing else.
 */
export const RUN_FILES = [
  "summary.json",
  "config.resolved.yaml",
  "init.safetensors",
  "final.safetensors",
  "metrics.jsonl",
  "steps.jsonl",
  "predictions.csv",
  "gradients.safetensors",
  "report.html",
  "comparison.txt",
  "comparison.json",
  "checkpoint.json",
  "checkpoint.safetensors",
];

const LABEL = "run directory";

export interface RunDirectoryOptions {
  out?: string;
  root?: string;
  name: string;
  backend: string;
  now?: Date;
  /** Remove another run's files (RUN_FILES) found in `out` instead of refusing. */
  force?: boolean;
  /** Keep the run's files found in `out`: --resume continues the run they hold (checkpoint.ts checks it is this config's). */
  resume?: boolean;
  /** Hears a one-line note (a stale lock taken over); default: stderr. */
  note?: (message: string) => void;
}

/**
 * A run's directory, owned by one run: created and probed before training, locked (`.lock`, the
 * pid) while the run writes, refused if it holds another run's files. Files are written whole
 * (temporary file + rename), so each is complete or absent even if the run is killed, except
 * metrics.jsonl and steps.jsonl, which grow by whole lines (rewriting them at each evaluation
 * would make `eval_every: 1` quadratic). A write that fails mid-run is an OutputWriteError (exit 1).
 */
export class RunDirectory {
  /** Bytes written so far to each appended file, to cut a failed append back to whole lines. */
  private readonly appended = new Map<string, number>();
  private written = { epochs: 0, steps: 0 };

  private constructor(
    readonly path: string,
    private readonly lock: RunLock,
  ) {}

  /** `out`, or runs/<name>/<backend>-<UTC timestamp>[-n] under `root`. */
  static create(options: RunDirectoryOptions): RunDirectory {
    const note = options.note ?? ((message: string) => process.stderr.write(`note: ${message}\n`));
    const path = options.out ?? claimDefault(options);
    prepareDirectory(path, LABEL);
    const lock = RunLock.acquire(path, LABEL, note);
    try {
      const found = options.resume ? [] : runFilesIn(path);
      if (found.length > 0 && !options.force) {
        const names = found.length > 3 ? `${found.slice(0, 3).join(", ")}, …` : found.join(", ");
        throw new UserError(`${LABEL} ${path} holds another run's files (${names}); choose another --out, or pass --force to replace them`);
      }
      for (const name of found) {
        try {
          rmSync(join(path, name), { force: true });
        } catch (error) {
          throw new UserError(`${LABEL} ${path}: cannot remove ${name}: ${ioReason(error)}`);
        }
      }
    } catch (error) {
      lock.release();
      throw error;
    }
    return new RunDirectory(path, lock);
  }

  file(name: string): string {
    return join(this.path, name);
  }

  writeText(name: string, text: string): void {
    writingTo(this.file(name), () => writeFileAtomic(this.file(name), text));
  }

  writeJson(name: string, value: unknown): void {
    this.writeText(name, `${JSON.stringify(value, null, 2)}\n`);
  }

  /**
   * For the summary of a run that failed on a full disk: written whole if there is room, else
   * rewritten in the blocks the file already holds (a summary.json written at the start has a
   * block to itself), so no new space is needed; never throws. False if neither worked.
   */
  writeJsonIfPossible(name: string, value: unknown): boolean {
    const text = `${JSON.stringify(value, null, 2)}\n`;
    try {
      this.writeText(name, text);
      return true;
    } catch {
      // no room for a temporary: try in place
    }
    const file = this.file(name);
    try {
      const { blocks } = statSync(file);
      if (Buffer.byteLength(text) > blocks * 512) return false;
      const fd = openSync(file, "r+");
      try {
        writeSync(fd, text, 0);
        ftruncateSync(fd, Buffer.byteLength(text));
      } finally {
        closeSync(fd);
      }
      return true;
    } catch {
      return false;
    }
  }

  writeParams(name: string, params: ParamList, metadata: Record<string, string>): void {
    writingTo(this.file(name), () => writeFileAtomic(this.file(name), encodeSafetensors(params, metadata)));
  }

  /** predictions.csv and gradients.safetensors, whole files; nothing when there is nothing (a diverged run's non-finite parameters). */
  writeEndOfRun(data: EndOfRun | null, dtype: DType, metadata: Record<string, string>): void {
    if (data === null) return;
    this.writeText("predictions.csv", predictionsCsv(data.predictions, dtype));
    this.writeParams("gradients.safetensors", data.gradients, metadata);
  }

  /**
   * Appends what `history` holds beyond what was written: the new steps to steps.jsonl (each
   * step's loss per example, in order), then the new evaluations to metrics.jsonl (a line each).
   */
  writeHistory(history: TrainHistory, stepsPerEpoch: number): void {
    let steps = "";
    for (let i = this.written.steps; i < history.stepLosses.length; i++) {
      steps += `{"step":${i + 1},"epoch":${Math.floor(i / stepsPerEpoch) + 1},"loss_per_example":${jsonNumber(history.stepLosses[i]!)}}\n`;
    }
    let metrics = "";
    for (let i = this.written.epochs; i < history.epochs.length; i++) metrics += `${JSON.stringify(history.epochs[i])}\n`;
    this.append("steps.jsonl", steps);
    this.written.steps = history.stepLosses.length;
    this.append("metrics.jsonl", metrics);
    this.written.epochs = history.epochs.length;
  }

  /** The part of `history` that metrics.jsonl and steps.jsonl hold (all of it, unless a write failed). */
  writtenHistory(history: TrainHistory): TrainHistory {
    return { epochs: history.epochs.slice(0, this.written.epochs), stepLosses: history.stepLosses.slice(0, this.written.steps) };
  }

  /** Gives up the directory (the lock); also done at exit. */
  release(): void {
    this.lock.release();
  }

  /**
   * One write per call, so a reader sees whole lines; a failed write (a full disk) is cut back to
   * the last whole line. The first call creates the file afresh.
   */
  private append(name: string, text: string): void {
    const before = this.appended.get(name);
    if (text === "" && before !== undefined) return;
    const file = this.file(name);
    writingTo(file, () => {
      try {
        if (before === undefined) writeFileSync(file, text);
        else appendFileSync(file, text);
      } catch (error) {
        try {
          truncateSync(file, before ?? 0);
        } catch {
          // the file is gone or unwritable: nothing half-written can remain readable in it
        }
        throw error;
      }
    });
    this.appended.set(name, (before ?? 0) + Buffer.byteLength(text));
  }
}

/** A fresh runs/<name>/<backend>-<stamp>[-n]: mkdir of the last level claims it, so two runs never share one. */
function claimDefault(options: RunDirectoryOptions): string {
  const stamp = (options.now ?? new Date()).toISOString().replace(/[-:]/g, "").replace("T", "-").slice(0, 15);
  const base = join(options.root ?? "runs", options.name, `${options.backend}-${stamp}`);
  prepareDirectory(dirname(base), LABEL);
  for (let n = 1; ; n++) {
    const path = n === 1 ? base : `${base}-${n}`;
    try {
      mkdirSync(path);
      return path;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw new UserError(`${LABEL} ${path}: ${ioReason(error)}`);
    }
  }
}

/** The crossprop run files in `dir`, with temporaries a killed run left beside them. */
function runFilesIn(dir: string): string[] {
  const temporary = new RegExp(`^(${RUN_FILES.map((name) => name.replace(/\./g, "\\.")).join("|")})\\.tmp-\\d+$`);
  return readdirSync(dir)
    .filter((name) => RUN_FILES.includes(name) || temporary.test(name))
    .sort((a, b) => order(a) - order(b) || a.localeCompare(b));
}

/** Lists summary.json first: the file that says whose run it was. */
function order(name: string): number {
  const index = RUN_FILES.indexOf(name);
  return index === -1 ? RUN_FILES.length : index;
}

/** JSON has no NaN/Infinity: they are written as null. */
function jsonNumber(value: number): string {
  return Number.isFinite(value) ? String(value) : "null";
}
