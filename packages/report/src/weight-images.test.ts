import { describe, expect, it } from "vitest";
import { DIVERGING_PALETTE, divergingIndex, symmetricMax, unitPixels, weightImagesHtml } from "./weight-images.ts";

describe("the diverging colour map", () => {
  const colour = (w: number, max: number) => DIVERGING_PALETTE[divergingIndex(w, max)]!;

  it("is white at 0 and symmetric: −w has w's colour with red and blue exchanged", () => {
    expect(colour(0, 1)).toEqual([255, 255, 255]);
    for (const w of [0.01, 0.1, 0.37, 0.5, 0.99, 1]) {
      const [r, g, b] = colour(w, 1);
      expect(colour(-w, 1)).toEqual([b, g, r]);
      expect(divergingIndex(w, 1) + divergingIndex(-w, 1)).toBe(DIVERGING_PALETTE.length - 1);
    }
  });

  it("is red for positive and blue for negative weights, darker the larger |w|, clipped at ±max", () => {
    const [r, , b] = colour(0.5, 1);
    expect(r).toBeGreaterThan(b);
    expect(colour(1, 1)[1]).toBeLessThan(colour(0.5, 1)[1]);
    expect(colour(7, 1)).toEqual(colour(1, 1));
    expect(colour(-Infinity, 1)).toEqual(colour(-1, 1));
    expect(colour(NaN, 1)).toEqual([255, 255, 255]);
  });
});

describe("first-layer weight images", () => {
  // A [4 inputs (2×2), 3 units] layer: unit j's weights are column j, weight[i·3 + j].
  const weight = { name: "layers.0.weight", shape: [4, 3], data: Float32Array.of(1, 0, -2, 0.5, 0, 0, -1, 0, 2, 0, 0, 4) };

  it("reads a unit's column on a scale set by the largest |w| of the units shown", () => {
    expect(symmetricMax(weight, 3)).toBe(4);
    expect(symmetricMax(weight, 2)).toBe(1);
    expect(symmetricMax({ ...weight, data: new Float32Array(12) }, 3)).toBe(1);
    expect([...unitPixels(weight, 0, 1)]).toEqual([1, 0.5, -1, 0].map((w) => divergingIndex(w, 1)));
    expect([...unitPixels(weight, 2, 4)]).toEqual([-2, 0, 2, 4].map((w) => divergingIndex(w, 4)));
  });

  it("draws every unit at the start and the end, and says when a file is absent or the inputs are no image", () => {
    const init = new Map([["layers.0.weight", weight]]);
    const html = weightImagesHtml({ init, final: init, gradients: null });
    expect(html.match(/<img src="data:image\/png;base64,[^"]+" width="4" height="4" alt="first layer, unit \d, weights at the (start|end)">/g)).toHaveLength(6);
    expect(html).toContain("(all 3 units)");
    expect(weightImagesHtml({ init, final: null, gradients: null })).toContain("final.safetensors is absent, so the end is not shown.");
    expect(weightImagesHtml({ init: null, final: null, gradients: null })).toBe("<p>init.safetensors and final.safetensors are absent, so there are no weights to draw.</p>");
    const flat = new Map([["layers.0.weight", { ...weight, shape: [3, 4] }]]);
    expect(weightImagesHtml({ init: flat, final: flat, gradients: null })).toContain("The first layer takes 3 inputs, not a square image");
  });
});
