import { SingleBar } from "cli-progress";
import type { EpochRecord, TrainObserver } from "@crossprop/run";

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
            hideCursor: true,
            clearOnComplete: true,
            etaBuffer: 50,
          },
        );
        bar.start(event.intervalSteps, 0, { epoch: event.epoch, loss: "-", rate: "-" });
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
      stream.write(`${label} ${epochLine(record, bySteps ? totalSteps : epochs, bySteps)}\n`);
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
