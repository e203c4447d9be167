import { describe, expect, it } from "vitest";
import { confusionMatrix, mostConfidentWrong, mostConfusedPairs, perClassAccuracy } from "./confusion.ts";
import type { ClassPredictions } from "./predictions.ts";

/** Predictions from (label, predicted, probability, loss) rows. */
function predictions(rows: readonly (readonly [number, number, number, number])[]): ClassPredictions {
  return {
    kind: "classes",
    count: rows.length,
    labels: Int32Array.from(rows, (r) => r[0]),
    predicted: Int32Array.from(rows, (r) => r[1]),
    probability: Float64Array.from(rows, (r) => r[2]),
    loss: Float64Array.from(rows, (r) => r[3]),
  };
}

// Three classes; class 0: 3 right, 1 as 2; class 1: 1 right, 2 as 0; class 2: 2 right.
const rows = [
  [0, 0, 0.9, 0.1], [0, 0, 0.8, 0.2], [0, 0, 0.7, 0.3], [0, 2, 0.55, 1.2],
  [1, 1, 0.6, 0.5], [1, 0, 0.95, 3.0], [1, 0, 0.95, 3.4],
  [2, 2, 0.99, 0.01], [2, 2, 0.98, 0.02],
] as const;

describe("confusionMatrix", () => {
  const c = confusionMatrix(predictions(rows), 3);

  it("counts each (true, predicted) pair once, rows = true class", () => {
    expect([...c.counts]).toEqual([3, 0, 1, 2, 1, 0, 0, 0, 2]);
    expect([...c.support]).toEqual([4, 3, 2]);
  });

  it("gives each class's accuracy, null for a class without validation examples", () => {
    expect(perClassAccuracy(c)).toEqual([0.75, 1 / 3, 1]);
    expect(perClassAccuracy(confusionMatrix(predictions([[0, 0, 1, 0]]), 2))).toEqual([1, null]);
  });

  it("lists the off-diagonal pairs by count, with the share of the true class", () => {
    expect(mostConfusedPairs(c, 10)).toEqual([
      { label: 1, predicted: 0, count: 2, share: 2 / 3 },
      { label: 0, predicted: 2, count: 1, share: 0.25 },
    ]);
    expect(mostConfusedPairs(c, 1)).toHaveLength(1);
  });

  it("refuses a class index beyond the run's classes", () => {
    expect(() => confusionMatrix(predictions([[0, 3, 1, 0]]), 3)).toThrow(/example 0: class 3 but the run has 3 classes/);
  });
});

describe("mostConfidentWrong", () => {
  it("returns only wrong predictions, surest first; equal probabilities by the higher loss", () => {
    // 5 and 6 both at 0.95: 6 has the higher loss; then 3 at 0.55. The right ones at 0.99 never appear.
    expect(mostConfidentWrong(predictions(rows), 16)).toEqual([6, 5, 3]);
    expect(mostConfidentWrong(predictions(rows), 2)).toEqual([6, 5]);
  });

  it("is really the k most confident: no wrong example left out is surer than one kept", () => {
    const many = Array.from({ length: 200 }, (_, i) => [i % 10, (i * 7) % 10, ((i * 61) % 97) / 97, i / 200] as const);
    const p = predictions(many);
    const picked = mostConfidentWrong(p, 16);
    expect(picked).toHaveLength(16);
    const lowest = Math.min(...picked.map((i) => p.probability[i]!));
    for (let i = 0; i < p.count; i++) {
      if (p.labels[i] === p.predicted[i]) expect(picked).not.toContain(i);
      else if (!picked.includes(i)) expect(p.probability[i]!).toBeLessThanOrEqual(lowest);
    }
  });

  it("puts NaN probabilities (a diverged run) last", () => {
    expect(mostConfidentWrong(predictions([[0, 1, NaN, NaN], [1, 0, 0.2, 2]]), 2)).toEqual([1, 0]);
  });
});
