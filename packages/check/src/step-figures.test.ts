import { describe, expect, it } from "vitest";
import { stepFigures } from "./step-figures.ts";

const tolerances = { "tfjs~manual": { loss: 1e-4, tensors: { rtol: 2e-4, atol: null, floor: 0.2 }, intermediates: { rtol: 2e-2, atol: null, floor: 0.2 } } };
const row = (tensor: string, kind: "gradient" | "output" | "parameter", max_rel: number) => ({ tensor, kind, backend: "tfjs", max_rel });

describe("stepFigures", () => {
  it("keeps the loss and the worst tensor of each kind, each with its own bound", () => {
    const rows = [
      row("layers.0.weight", "gradient", 3e-6),
      row("layers.0.bias", "gradient", 7e-6),
      row("layers.1.weight", "gradient", 5e-6),
      row("logits", "output", 1e-7),
      row("layers.0.weight", "parameter", 2e-8),
      row("layers.0.bias", "parameter", 0),
    ];
    expect(stepFigures(3, { tfjs: 4e-7 }, rows, tolerances, "manual")).toEqual({
      step: 3,
      pairs: [
        { backend: "tfjs", quantity: "loss", tensor: "loss", max_rel: 4e-7, tolerance: 1e-4 },
        { backend: "tfjs", quantity: "gradient", tensor: "layers.0.bias", max_rel: 7e-6, tolerance: 2e-4 },
        { backend: "tfjs", quantity: "output", tensor: "logits", max_rel: 1e-7, tolerance: 2e-4 },
        { backend: "tfjs", quantity: "parameter", tensor: "layers.0.weight", max_rel: 2e-8, tolerance: 2e-4 },
      ],
    });
  });

  it("a NaN difference is the worst, however large the numbers after it", () => {
    const rows = [row("layers.0.weight", "gradient", 1e-6), row("layers.0.bias", "gradient", NaN), row("layers.1.weight", "gradient", 5)];
    const gradient = stepFigures(1, { tfjs: 0 }, rows, tolerances, "manual").pairs.find((p) => p.quantity === "gradient")!;
    expect(gradient.tensor).toBe("layers.0.bias");
    expect(gradient.max_rel).toBeNaN();
  });
});
