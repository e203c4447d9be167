import { SingleBar } from "cli-progress";
import type { EpochRecord, TrainObserver } from "@crossprop/run";

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
  const hidden = cursorHidden ?? (always && stream.isTTY ? stream : null);
  if (hidden) hidden.write(SHOW_CURSOR);
  cursorHidden = null;
}

/**
 * On a TTY: a bar inside each epoch (step, loss, samples/s, ETA) and a line per epoch.
 * Elsewhere (CI, pipes): just the line per epoch. Quiet: nothing.
 */
export function progressObserver({ quiet, stream }: ProgressOptions): TrainObserver {
  if (quiet) return {};
  let bar: SingleBar | null = null;
  let epochs = 0;
  let label = "";
  let totalSteps = 0;
  let bySteps = false;
  return {
    onStart(info) {
      epochs = info.epochs;
      totalSteps = info.totalSteps;
      bySteps = info.bySteps;
      label = info.backend;
      stream.write(`training on ${info.backend} (${info.engine}): ${info.trainExamples} examples, ${info.stepsPerEpoch} steps per epoch\n`);
    },
    onStep(event) {
      if (!stream.isTTY) return;
      if (!bar) {
        bar = new SingleBar(
          {
            stream,
            format: `${label} ${bySteps ? `steps (of ${totalSteps})` : `epoch {epoch}/${epochs}`} {bar} {value}/{total} steps | loss {loss} | {rate} samples/s | ETA {eta_formatted}`,
            barsize: 24,
            // Hidden and shown here, not by the bar, so every exit path can show it again.
            hideCursor: false,
            clearOnComplete: true,
            etaBuffer: 50,
          },
        );
        stream.write(HIDE_CURSOR);
        cursorHidden = stream;
        bar.start(event.intervalSteps, 0, { epoch: event.epoch, loss: "-", rate: "-" });
        liveBar = { bar, stream };
      }
      bar.update(event.step, {
        epoch: event.epoch,
        loss: event.loss.toFixed(4),
        rate: Math.round(event.samples / Math.max(event.seconds, 1e-9)).toLocaleString("en-US"),
      });
    },
    onEpoch(record) {
      if (bar) {
        bar.stop();
        bar = null;
        liveBar = null;
      }
      stream.write(`${label} ${epochLine(record, bySteps ? totalSteps : epochs, bySteps)}\n`);
    },
    // Training ended (completed, diverged, interrupted): the bar goes and the cursor comes back.
    onEnd() {
      bar = null;
      restoreCursor();
    },
  };
}

/** "epoch  3/20  train_loss …", or "step 1000/10000  …" when training by steps. */
export function epochLine(record: EpochRecord, total: number, bySteps = false): string {
  const width = String(total).length;
  const accuracy = record.valid_accuracy === null ? "" : `  valid_accuracy ${record.valid_accuracy.toFixed(4)}`;
  const where = bySteps ? `step ${String(record.step).padStart(width)}/${total}` : `epoch ${String(record.epoch).padStart(width)}/${total}`;
  return (
    `${where}  train_loss ${record.train_loss.toPrecision(5)}  ` +
    `valid_loss ${record.valid_loss.toPrecision(5)}${accuracy}  ${record.seconds.toFixed(2)} s`
  );
}
