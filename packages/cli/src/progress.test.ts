import { describe, expect, it } from "vitest";
import { displayWidth } from "@crossprop/core";
import type { EpochRecord } from "@crossprop/run";
import { barLine, epochLine } from "./progress.ts";

const state = { label: "autograd:typescript", where: "epoch 12/20", value: 120, total: 469, lossPerExample: 0.23456, samplesPerSecond: 12345.6, elapsedSeconds: 65, etaSeconds: 40 };

describe("barLine", () => {
  it("at 120 columns: every figure, the bar, elapsed time beside the ETA", () => {
    const line = barLine(state, 120);
    expect(line).toMatch(/^autograd:typescript epoch 12\/20 █+░+ 120\/469 \| loss 0\.2346 \| 12,346 samples\/s \| 1m05s elapsed, ETA 40s$/);
    expect(displayWidth(line)).toBeLessThan(120);
  });

  it("at 80 and 60 columns: samples/s, then the backend's name, then the loss go; the times never do", () => {
    const at80 = barLine({ ...state, label: "manual" }, 80);
    expect(at80).toMatch(/^manual epoch 12\/20 █+░+ 120\/469 \| loss 0\.2346 \| 1m05s elapsed, ETA 40s$/);
    expect(barLine(state, 80)).toMatch(/^epoch 12\/20 █+░+ 120\/469 \| loss 0\.2346 \| 1m05s elapsed, ETA 40s$/);
    const at60 = barLine(state, 60);
    expect(at60).toMatch(/^epoch 12\/20 █+░+ 120\/469 \| 1m05s elapsed, ETA 40s$/);
    for (const [line, width] of [[at80, 80], [at60, 60]] as const) expect(displayWidth(line)).toBeLessThan(width);
    expect(barLine(state, 30)).toBe("120/469 | 1m05s elapsed, ETA 40s".slice(0, 29));
  });
});

describe("epochLine", () => {
  const record: EpochRecord = { epoch: 3, step: 1407, train_loss: 0.123456, valid_loss: 0.234567, valid_accuracy: 0.9612, seconds: 2.314, eval_seconds: 0.1 };

  it("two spaces between figures when they fit, one when only that fits, an indented second line below that", () => {
    expect(epochLine(record, 20, false, 120)).toBe("epoch  3/20  train_loss 0.12346  valid_loss 0.23457  valid_accuracy 0.9612  2.31 s");
    expect(epochLine(record, 20, false, 80)).toBe("epoch  3/20 train_loss 0.12346 valid_loss 0.23457 valid_accuracy 0.9612 2.31 s");
    expect(epochLine(record, 10000, true, 80)).toBe("step  1407/10000 train_loss 0.12346 valid_loss 0.23457 valid_accuracy 0.9612\n  2.31 s");
    expect(epochLine(record, 20, false, 60)).toBe("epoch  3/20 train_loss 0.12346 valid_loss 0.23457\n  valid_accuracy 0.9612 2.31 s");
  });
});
