import { MultiBar, type SingleBar } from "cli-progress";
import { describeParams, type ExecuteObserver, type SweepSection, type TrialRecord } from "@crossprop/sweep";

export interface SweepProgressOptions {
  quiet: boolean;
  /** Where progress goes (stderr, so stdout stays the final table). */
  stream: NodeJS.WriteStream;
  objective: { metric: SweepSection["metric"]; goal: SweepSection["goal"] };
}

/**
 * On a TTY: one live bar (done / running / failed, best so far), with a line above it for each
 * trial that did not pass. Elsewhere (CI, pipes): one line per finished trial. Quiet: nothing.
 */
export function sweepProgress({ quiet, stream, objective }: SweepProgressOptions): ExecuteObserver & { stop(): void } {
  if (quiet) return { stop() {} };
  let total = 0;
  let done = 0;
  let running = 0;
  let failed = 0;
  let best: number | null = null;
  let multibar: MultiBar | null = null;
  let bar: SingleBar | null = null;
  const payload = () => ({ running, failed, best: best === null ? "–" : `${objective.metric} ${best.toFixed(4)}` });

  const finished = (record: TrialRecord) => {
    done++;
    if (!record.passed) failed++;
    const value = record.status === "completed" ? record.metrics[objective.metric] : null;
    if (value !== null && Number.isFinite(value) && (best === null || (objective.goal === "max" ? value > best : value < best))) best = value;
    const line = `[${String(done).padStart(String(total).length)}/${total}] ${trialLine(record, objective.metric)}\n`;
    if (bar) {
      if (!record.passed) multibar!.log(line);
      bar.update(done, payload());
    } else {
      stream.write(line);
    }
  };

  return {
    onPlan(count, resumed) {
      total = count;
      if (resumed.length > 0) stream.write(`${resumed.length} of ${count} trials finished earlier and are kept (--force reruns them)\n`);
      if (stream.isTTY) {
        multibar = new MultiBar({
          stream,
          format: "sweep {bar} {value}/{total} done | {running} running | {failed} failed | best {best}",
          barsize: 24,
          hideCursor: true,
          clearOnComplete: true,
        });
        bar = multibar.create(count, 0, payload());
      }
      for (const record of resumed) finished(record);
    },
    onStart() {
      running++;
      bar?.update(done, payload());
    },
    onFinish(record) {
      running--;
      finished(record);
    },
    stop() {
      multibar?.stop();
    },
  };
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
