import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { PlannedTrial } from "@crossprop/sweep";
import { trialRecord } from "@crossprop/sweep/fixtures";
import { sweepBarLine, sweepProgress, trialLine } from "./sweep-progress.ts";
import { displayWidth } from "@crossprop/core";

/** A stream that records what is written; `isTTY` decides bar or lines. */
function fakeStream(isTTY: boolean) {
  const chunks: string[] = [];
  const write = (chunk: string) => {
    chunks.push(chunk);
    return true;
  };
  // cli-progress writes escape codes itself and only needs write() and the width from a stream.
  const stream = { isTTY, columns: 120, write };
  return { stream: stream as unknown as NodeJS.WriteStream, text: () => chunks.join("") };
}

const objective = { metric: "valid_accuracy", goal: "max" } as const;
const planned = { index: 2 } as PlannedTrial;

// The width of lines that go elsewhere than a terminal is COLUMNS's; NO_COLOR would turn the bar off.
beforeEach(() => {
  vi.stubEnv("COLUMNS", "120");
  vi.stubEnv("NO_COLOR", "");
});
afterEach(() => vi.unstubAllEnvs());

describe("sweepProgress", () => {
  it("elsewhere than a terminal: one line per finished trial, resumed ones first", () => {
    const { stream, text } = fakeStream(false);
    const progress = sweepProgress({ quiet: false, stream, objective });
    progress.onPlan!(3, [trialRecord(1, { timings: { ...trialRecord(1).timings, elapsed_seconds: null, resumed: true } })]);
    progress.onStart!(planned);
    progress.onFinish!(trialRecord(2, { accuracy: 0.75 }));
    progress.onFinish!(trialRecord(3, { status: "diverged", passed: false, error: "diverged: the loss is NaN at step 4 (epoch 1). Hint: lower optimizer.lr" }));
    progress.stop();
    expect(text().split("\n")).toEqual([
      "1 of 3 trials finished earlier and are kept (--force reruns them)",
      "[1/3] ✓ #1 000000000001 optimizer.lr=0.1 model.hidden=[16]: valid_accuracy 0.5100 (finished earlier)",
      "[2/3] ✓ #2 000000000002 optimizer.lr=0.2 model.hidden=[16]: valid_accuracy 0.7500 (2.0 s)",
      "[3/3] ✗ #3 000000000003 optimizer.lr=0.3 model.hidden=[16]: diverged: the loss is NaN at step 4 (epoch 1). (2.0 s)",
      "",
    ]);
  });

  it("on a terminal: a live bar with done, running, failed and the best so far; a line for each trial that did not pass", async () => {
    const { stream, text } = fakeStream(true);
    const progress = sweepProgress({ quiet: false, stream, objective });
    progress.onPlan!(2, []);
    progress.onStart!(planned);
    progress.onStart!(planned);
    progress.onFinish!(trialRecord(1, { accuracy: 0.75 }));
    progress.onFinish!(trialRecord(2, { status: "failed", passed: false, error: "internal error: boom" }));
    await new Promise((resolve) => setTimeout(resolve, 300)); // cli-progress redraws on a timer (10 fps)
    progress.stop();
    expect(text()).toMatch(/sweep █+░* 2\/2 done \| 0 running \| 1 failed \| best valid_accuracy 0\.7500 \| \d+s elapsed, ETA \d+s/);
    expect(text()).toContain("✗ #2 000000000002 optimizer.lr=0.2 model.hidden=[16]: failed: internal error: boom (2.0 s)\n");
    expect(text()).not.toContain("✓ #1");
  });

  it("at 80 columns a long trial line goes on, indented, on the next line", () => {
    vi.stubEnv("COLUMNS", "80");
    const { stream, text } = fakeStream(false);
    const progress = sweepProgress({ quiet: false, stream, objective });
    progress.onPlan!(1, []);
    progress.onFinish!(trialRecord(1, { status: "diverged", passed: false, error: "diverged: the loss is NaN at step 4 (epoch 1). Hint: lower optimizer.lr" }));
    expect(text()).toBe("[1/1] ✗ #1 000000000001 optimizer.lr=0.1 model.hidden=[16]: diverged: the loss\n      is NaN at step 4 (epoch 1). (2.0 s)\n");
  });

  it("with NO_COLOR on a terminal: the plain lines, no escape sequence", () => {
    vi.stubEnv("NO_COLOR", "1");
    const { stream, text } = fakeStream(true);
    const progress = sweepProgress({ quiet: false, stream, objective });
    progress.onPlan!(1, []);
    progress.onStart!(planned);
    progress.onFinish!(trialRecord(1, { accuracy: 0.75 }));
    progress.stop();
    expect(text()).toBe("[1/1] ✓ #1 000000000001 optimizer.lr=0.1 model.hidden=[16]: valid_accuracy 0.7500 (2.0 s)\n");
  });

  it("quiet: nothing at all but warnings", () => {
    const { stream, text } = fakeStream(false);
    const progress = sweepProgress({ quiet: true, stream, objective });
    progress.onPlan?.(1, []);
    progress.onFinish?.(trialRecord(1));
    expect(text()).toBe("");
    progress.onWarning?.("trial report not written: cannot write x/report.html: no space left on device");
    expect(text()).toBe("warning: trial report not written: cannot write x/report.html: no space left on device\n");
  });

  it("a warning (a trial's report.html not written) goes above the live bar on a terminal, as a line elsewhere", async () => {
    const lines = fakeStream(false);
    const plain = sweepProgress({ quiet: false, stream: lines.stream, objective });
    plain.onPlan!(1, []);
    plain.onWarning!("trial report not written: boom");
    expect(lines.text()).toBe("warning: trial report not written: boom\n");
    const terminal = fakeStream(true);
    const live = sweepProgress({ quiet: false, stream: terminal.stream, objective });
    live.onPlan!(1, []);
    live.onWarning!("trial report not written: boom");
    await new Promise((resolve) => setTimeout(resolve, 300)); // cli-progress writes logged lines at its next redraw
    live.stop();
    expect(terminal.text()).toContain("warning: trial report not written: boom\n");
  });
});

describe("trialLine", () => {
  it("names missed expectations of a completed trial", () => {
    const record = trialRecord(4, { passed: false, expectations: [{ metric: "valid_accuracy", bound: "min", threshold: 0.9, value: 0.54, passed: false }] });
    expect(trialLine(record, "valid_accuracy")).toBe("✗ #4 000000000004 optimizer.lr=0.4 model.hidden=[16]: valid_accuracy 0.5400, expect failed: valid_accuracy < 0.9 (2.0 s)");
  });
});

describe("sweepBarLine", () => {
  const state = { total: 120, done: 37, running: 2, failed: 1, best: "valid_accuracy 0.9123", elapsedSeconds: 65, etaSeconds: 130 };
  it("keeps every figure at 120 columns, and the times and counts at 80 and 60, within the width", () => {
    const wide = sweepBarLine(state, 120);
    expect(wide).toMatch(/^sweep █+░+ 37\/120 done \| 2 running \| 1 failed \| best valid_accuracy 0\.9123 \| 1m05s elapsed, ETA 2m10s$/);
    expect(displayWidth(wide)).toBeLessThan(120);
    for (const width of [80, 60]) {
      const line = sweepBarLine(state, width);
      expect(displayWidth(line)).toBeLessThan(width);
      expect(line).toMatch(/37\/120 done \| .*1 failed \| .*1m05s elapsed, ETA 2m10s$/);
    }
    expect(sweepBarLine(state, 80)).not.toContain("running");
  });
});
