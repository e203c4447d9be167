import { describe, expect, it } from "vitest";
import type { StepLine } from "./run-files.ts";
import { stepLossDifferences, zeroFloor } from "./step-differences.ts";

const steps = (losses: (number | null)[]): StepLine[] => losses.map((loss, i) => ({ step: i + 1, epoch: 1, loss_per_example: loss }));

describe("stepLossDifferences", () => {
  it("is other − reference at every step, exactly as the two steps.jsonl values subtract", () => {
    const reference = steps([2.6352900098765897, 2.485682819579664, 2.2227401669351523]);
    const other = steps([2.6352899074554443, 2.485682725906372, 2.222740411758423]);
    expect(stepLossDifferences(reference, other)).toEqual([
      { step: 1, delta: 2.6352899074554443 - 2.6352900098765897 },
      { step: 2, delta: 2.485682725906372 - 2.485682819579664 },
      { step: 3, delta: 2.222740411758423 - 2.2227401669351523 },
    ]);
  });

  it("leaves out steps either run lacks or recorded as not finite (a diverged run ends early)", () => {
    const reference = steps([1, 2, null, 4, 5]);
    const diverged = steps([1.5, 2.5, 3.5]);
    expect(stepLossDifferences(reference, diverged)).toEqual([{ step: 1, delta: 0.5 }, { step: 2, delta: 0.5 }]);
    expect(stepLossDifferences(diverged, reference)).toEqual([{ step: 1, delta: -0.5 }, { step: 2, delta: -0.5 }]);
  });
});

describe("zeroFloor", () => {
  it("is the power of ten below the smallest non-zero |Δ|'s decade, 1e-16 when every Δ is 0", () => {
    expect(zeroFloor([{ step: 1, delta: 0 }, { step: 2, delta: -3.2e-7 }, { step: 3, delta: 1e-6 }])).toBe(1e-8);
    expect(zeroFloor([{ step: 1, delta: 0 }, { step: 2, delta: 4.4e-16 }])).toBe(1e-17);
    expect(zeroFloor([{ step: 1, delta: 1e-7 }])).toBe(1e-8);
    expect(zeroFloor([{ step: 1, delta: 0 }])).toBe(1e-16);
    expect(zeroFloor([])).toBe(1e-16);
  });
});
