import { MultiBar, type SingleBar } from "cli-progress";
import { displayWidth } from "@crossprop/core";
import { describeParams, type ExecuteObserver, type SweepSection, type TrialRecord } from "@crossprop/sweep";
import { escapesAllowed, formatDuration, outputWidth, wrapLine } from "./terminal.ts";

export interface SweepProgressOptions {
  quiet: boolean;
  /** Where progress goes (stderr, so stdout stays the final table). */
  stream: NodeJS.WriteStream;
  objective: { metric: SweepSection["metric"]; goal: SweepSection["goal"] };
}

/**
 * On a terminal (escapes allowed, terminal.ts): one live bar (done / running / failed, best so
 * far, elapsed time and ETA), with a line above it for each trial that did not pass. Elsewhere
 * (CI, pipes, NO_COLOR, --no-color): one line per finished trial. Quiet: nothing. Lines fit the width.
 */
export function sweepProgress({ quiet, stream, objective }: SweepProgressOptions): ExecuteObserver & { stop(): void } {
  // Warnings are printed even when quiet: they are not progress.
  const warning = (message: string) => `${wrapLine(`warning: ${message}`, outputWidth(stream), "  ")}\n`;
  if (quiet) return { onWarning: (message) => stream.write(warning(message)), stop() {} };
  let total = 0;
  let done = 0;
  let running = 0;
  let failed = 0;
  let best: number | null = null;
  let multibar: MultiBar | null = null;
  let bar: SingleBar | null = null;
  const startedAt = performance.now();
  // Trials finished by this run, not resumed ones: the ETA is their pace.
  let doneHere = 0;
  const state = (): SweepBarState => {
    const elapsedSeconds = (performance.now() - startedAt) / 1000;
    return { total, done, running, failed, best: best === null ? null : `${objective.metric} ${best.toFixed(4)}`, elapsedSeconds, etaSeconds: doneHere === 0 ? null : (elapsedSeconds / doneHere) * (total - done) };
  };

  const finished = (record: TrialRecord) => {
    done++;
    if (!record.passed) failed++;
    const value = record.status === "completed" ? record.metrics[objective.metric] : null;
    if (value !== null && Number.isFinite(value) && (best === null || (objective.goal === "max" ? value > best : value < best))) best = value;
    const line = `${wrapLine(`[${String(done).padStart(String(total).length)}/${total}] ${trialLine(record, objective.metric)}`, outputWidth(stream), "      ")}\n`;
    if (bar) {
      if (!record.passed) multibar!.log(line);
      bar.update(done);
    } else {
      stream.write(line);
    }
  };

  return {
    onPlan(count, resumed) {
      total = count;
      if (resumed.length > 0) stream.write(`${wrapLine(`${resumed.length} of ${count} trials finished earlier and are kept (--force reruns them)`, outputWidth(stream))}\n`);
      if (escapesAllowed(stream)) {
        multibar = new MultiBar({
          stream,
          // Composed here (sweepBarLine), so it fits the terminal's width as it is now.
          format: () => sweepBarLine(state(), outputWidth(stream)),
          hideCursor: true,
          clearOnComplete: true,
        });
        bar = multibar.create(count, 0);
      }
      for (const record of resumed) finished(record);
    },
    onStart() {
      running++;
      bar?.update(done);
    },
    onFinish(record) {
      running--;
      doneHere++;
      finished(record);
    },
    onWarning(message) {
      if (multibar) multibar.log(warning(message));
      else stream.write(warning(message));
    },
    stop() {
      multibar?.stop();
    },
  };
}

export interface SweepBarState {
  total: number;
  done: number;
  running: number;
  failed: number;
  /** "valid_accuracy 0.9123", or null before any trial completed. */
  best: string | null;
  elapsedSeconds: number;
  /** At the pace of the trials this run finished; null before the first. */
  etaSeconds: number | null;
}

/**
 * "sweep ████░░░░ 3/10 done | 2 running | 1 failed | best valid_accuracy 0.9123 | 1m05s elapsed, ETA 2m10s"
 * in fewer than `width` columns: when it does not fit, "running" goes first, then the best, then
 * the bar; the counts of done and failed and the times always stay.
 */
export function sweepBarLine(state: SweepBarState, width: number): string {
  const limit = width - 1;
  const count = `${state.done}/${state.total} done`;
  const running = `${state.running} running`;
  const failed = `${state.failed} failed`;
  const best = `best ${state.best ?? "–"}`;
  const time = `${formatDuration(state.elapsedSeconds)} elapsed, ETA ${state.etaSeconds === null ? "–" : formatDuration(state.etaSeconds)}`;
  for (const tail of [[running, failed, best, time], [failed, best, time], [failed, time]]) {
    const rest = `sweep  ${count} | ${tail.join(" | ")}`;
    const room = limit - displayWidth(rest);
    if (room >= 11) {
      const size = Math.min(30, room - 1);
      const filled = Math.round((state.done / Math.max(state.total, 1)) * size);
      return `sweep ${"█".repeat(filled)}${"░".repeat(size - filled)} ${count} | ${tail.join(" | ")}`;
    }
  }
  const bare = `${count} | ${failed} | ${time}`;
  return displayWidth(bare) <= limit ? bare : [...bare].slice(0, Math.max(limit, 0)).join("");
}

/** "✓ #3 a1b2c3d4e5f6 optimizer.lr=0.1 training.batch_size=64: valid_accuracy 0.9123 (2.1 s)" */
export function trialLine(record: TrialRecord, metric: SweepSection["metric"]): string {
  const params = describeParams(Object.entries(record.params).map(([path, value]) => ({ path, value })));
  const head = `${record.passed ? "✓" : "✗"} #${record.index} ${record.id} ${params}`;
  const { elapsed_seconds: elapsed, resumed } = record.timings;
  const seconds = resumed ? " (finished earlier)" : elapsed === null ? "" : ` (${elapsed.toFixed(1)} s)`;
  // A divergence's message starts "diverged:", a skipped trial's "not run:"; only failures need a label.
  if (record.status !== "completed") return `${head}: ${record.status === "failed" ? "failed: " : ""}${briefError(record.error)}${seconds}`;
  const value = record.metrics[metric];
  const missed = record.expectations.filter((e) => !e.passed).map((e) => `${e.metric} ${e.bound === "min" ? "<" : ">"} ${e.threshold}`);
  return `${head}: ${metric} ${value === null ? "–" : value.toFixed(4)}${missed.length > 0 ? `, expect failed: ${missed.join(", ")}` : ""}${seconds}`;
}

/** The error's first line without its hint: the whole text is in results.json. */
function briefError(text: string | null): string {
  return (text ?? "").split("\n")[0]!.replace(/ Hint: .*$/, "");
}
