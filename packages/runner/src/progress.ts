import { SingleBar } from "cli-progress";
import type { EpochRecord, TrainObserver } from "./train.ts";

export interface ProgressOptions {
  quiet: boolean;
  /** Where progress goes (stderr, so stdout stays parseable). */
  stream: NodeJS.WriteStream;
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
  return {
    onStart(info) {
      epochs = info.epochs;
      label = info.backend;
      stream.write(`training on ${info.backend} (${info.engine}): ${info.trainExamples} examples, ${info.stepsPerEpoch} steps per epoch\n`);
    },
    onStep(event) {
      if (!stream.isTTY) return;
      if (!bar) {
        bar = new SingleBar(
          {
            stream,
            format: `${label} epoch {epoch}/${epochs} {bar} {value}/{total} steps | loss {loss} | {rate} samples/s | ETA {eta_formatted}`,
            barsize: 24,
            hideCursor: true,
            clearOnComplete: true,
            etaBuffer: 50,
          },
        );
        bar.start(event.stepsPerEpoch, 0, { epoch: event.epoch, loss: "-", rate: "-" });
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
      }
      stream.write(`${label} ${epochLine(record, epochs)}\n`);
    },
  };
}

export function epochLine(record: EpochRecord, epochs: number): string {
  const width = String(epochs).length;
  const accuracy = record.valid_accuracy === null ? "" : `  valid_accuracy ${record.valid_accuracy.toFixed(4)}`;
  return (
    `epoch ${String(record.epoch).padStart(width)}/${epochs}  train_loss ${record.train_loss.toFixed(4)}  ` +
    `valid_loss ${record.valid_loss.toFixed(4)}${accuracy}  ${record.seconds.toFixed(2)} s`
  );
}
