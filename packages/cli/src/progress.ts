import { SingleBar } from "cli-progress";
import { displayWidth } from "@crossprop/core";
import type { EpochRecord, TrainObserver } from "@crossprop/run";
import { DEFAULT_WIDTH, escapesAllowed, formatDuration, outputWidth, wrapLine } from "./terminal.ts";

export interface ProgressOptions {
  quiet: boolean;
  /** Where progress goes (stderr, so stdout stays parseable). */
  stream: NodeJS.WriteStream;
}

/** The bar on screen, if any: restoreCursor clears it when the process ends mid-epoch. */
let liveBar: { bar: SingleBar; stream: NodeJS.WriteStream } | null = null;
/** The cursor was hidden by a bar and not shown again yet. */
let cursorHidden: NodeJS.WriteStream | null = null;

const HIDE_CURSOR = "\x1b[?25l";
const SHOW_CURSOR = "\x1b[?25h";

/**
 * Clears a bar left on screen and shows the cursor again, if a bar hid it (or `always`, on a
 * terminal: another bar — the sweep's — may have). Called on every exit path (signals.ts).
 */
export function restoreCursor(always = false, stream: NodeJS.WriteStream = process.stderr): void {
  if (liveBar) {
    liveBar.bar.stop();
    liveBar = null;
  }
  const hidden = cursorHidden ?? (always && escapesAllowed(stream) ? stream : null);
  if (hidden) hidden.write(SHOW_CURSOR);
  cursorHidden = null;
}

/**
 * On a terminal (escapes allowed, terminal.ts): a bar inside each epoch (steps, the batch's loss
 * per example, samples/s, elapsed time and ETA of the run) and a line per epoch. Elsewhere (CI,
 * pipes, NO_COLOR, --no-color): just the line per epoch. Quiet: nothing. Every line fits the width.
 */
export function progressObserver({ quiet, stream }: ProgressOptions): TrainObserver {
  if (quiet) return {};
  let bar: SingleBar | null = null;
  let epochs = 0;
  let label = "";
  let totalSteps = 0;
  let bySteps = false;
  let startedAt = 0;
  let state: Omit<BarState, "elapsedSeconds"> | null = null;
  return {
    onStart(info) {
      epochs = info.epochs;
      totalSteps = info.totalSteps;
      bySteps = info.bySteps;
      label = info.backend;
      startedAt = performance.now();
      stream.write(`${wrapLine(`training on ${info.backend} (${info.engine}): ${info.trainExamples} examples, ${info.stepsPerEpoch} steps per epoch`, outputWidth(stream))}\n`);
    },
    onStep(event) {
      if (!escapesAllowed(stream)) return;
      const secondsPerStep = event.seconds / event.step;
      state = {
        label,
        where: bySteps ? `steps of ${totalSteps}` : `epoch ${event.epoch}/${epochs}`,
        value: event.step,
        total: event.intervalSteps,
        lossPerExample: event.lossPerExample,
        samplesPerSecond: event.samples / Math.max(event.seconds, 1e-9),
        etaSeconds: (totalSteps - event.runStep) * secondsPerStep,
      };
      if (!bar) {
        // The line is composed here (barLine), so it fits the terminal's width as it is now.
        const format = () => (state ? barLine({ ...state, elapsedSeconds: (performance.now() - startedAt) / 1000 }, outputWidth(stream)) : "");
        // Hidden and shown here, not by the bar, so every exit path can show it again.
        bar = new SingleBar({ stream, format, hideCursor: false, clearOnComplete: true });
        stream.write(HIDE_CURSOR);
        cursorHidden = stream;
        bar.start(event.intervalSteps, 0);
        liveBar = { bar, stream };
      }
      bar.update(event.step);
    },
    onEpoch(record) {
      if (bar) {
        bar.stop();
        bar = null;
        liveBar = null;
      }
      stream.write(`${epochLine(record, bySteps ? totalSteps : epochs, bySteps, outputWidth(stream))}\n`);
    },
    // Training ended (completed, diverged, interrupted): the bar goes and the cursor comes back.
    onEnd() {
      bar = null;
      restoreCursor();
    },
  };
}

export interface BarState {
  label: string;
  /** "epoch 3/20", or "steps of 10000" when training by steps. */
  where: string;
  /** Steps done of this interval between evaluations, and its length. */
  value: number;
  total: number;
  lossPerExample: number;
  samplesPerSecond: number;
  /** Since training started; and the run's remaining steps at this interval's rate. */
  elapsedSeconds: number;
  etaSeconds: number;
}

/** Bars narrower than this are not worth drawing; wider ones say no more. */
const BAR_MIN = 10;
const BAR_MAX = 30;

/**
 * "manual epoch 3/20 ██████░░░░ 120/469 | loss 0.2345 | 12,345 samples/s | 1m05s elapsed, ETA 40s"
 * in fewer than `width` columns (a line filling the last column wraps on some terminals). When it
 * does not fit, samples/s goes first, then the backend's name, then the loss, then the bar; the
 * times always stay.
 */
export function barLine(state: BarState, width: number): string {
  const limit = width - 1;
  const count = `${state.value}/${state.total}`;
  const loss = `loss ${state.lossPerExample.toPrecision(4)}`;
  const rate = `${Math.round(state.samplesPerSecond).toLocaleString("en-US")} samples/s`;
  const time = `${formatDuration(state.elapsedSeconds)} elapsed, ETA ${formatDuration(state.etaSeconds)}`;
  const head = `${state.label} ${state.where}`;
  const variants: [string, string[]][] = [
    [head, [loss, rate, time]],
    [head, [loss, time]],
    [state.where, [loss, time]],
    [state.where, [time]],
  ];
  for (const [start, tail] of variants) {
    const rest = `${start}  ${count} | ${tail.join(" | ")}`;
    const room = limit - displayWidth(rest);
    if (room >= BAR_MIN + 1) {
      const size = Math.min(BAR_MAX, room - 1);
      const done = Math.round((state.value / Math.max(state.total, 1)) * size);
      return `${start} ${"█".repeat(done)}${"░".repeat(size - done)} ${count} | ${tail.join(" | ")}`;
    }
  }
  const bare = `${count} | ${time}`;
  return displayWidth(bare) <= limit ? bare : [...bare].slice(0, Math.max(limit, 0)).join("");
}

/**
 * "epoch  3/20  train_loss …  valid_loss …  valid_accuracy …  2.31 s", or "step 1000/10000  …"
 * when training by steps; losses per example. Within `width`: single spaces if two do not fit,
 * then the figures go on to an indented second line.
 */
export function epochLine(record: EpochRecord, total: number, bySteps = false, width = DEFAULT_WIDTH): string {
  const digits = String(total).length;
  const where = bySteps ? `step ${String(record.step).padStart(digits)}/${total}` : `epoch ${String(record.epoch).padStart(digits)}/${total}`;
  const fields = [
    where,
    `train_loss ${record.train_loss.toPrecision(5)}`,
    `valid_loss ${record.valid_loss.toPrecision(5)}`,
    ...(record.valid_accuracy === null ? [] : [`valid_accuracy ${record.valid_accuracy.toFixed(4)}`]),
    `${record.seconds.toFixed(2)} s`,
  ];
  for (const gap of ["  ", " "]) {
    const line = fields.join(gap);
    if (displayWidth(line) <= width) return line;
  }
  const lines: string[] = [];
  let line = "";
  for (const field of fields) {
    if (line !== "" && displayWidth(`${line} ${field}`) > width) {
      lines.push(line);
      line = `  ${field}`;
    } else line = line === "" ? field : `${line} ${field}`;
  }
  lines.push(line);
  return lines.join("\n");
}
