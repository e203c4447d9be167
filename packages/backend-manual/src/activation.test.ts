import { describe, expect, it } from "vitest";
import { Rng, allIndices, checkGradient } from "@crossprop/core";
import { activationBackward, activationForward } from "./activation.ts";
import { supports } from "./supports.ts";

// Central differences at h = 1e-6 in float64: O(h²) truncation + O(eps·|f|/h) rounding ≈ 1e-10
// relative for these O(1) objectives, so 1e-6 is safe. Every |z| ≥ 0.05 ≫ h: no ReLU kink is crossed.
const TOLERANCE = 1e-6;
const LENGTH = 40;

function preactivations(seed: number): Float64Array {
  const rng = new Rng(seed, "test");
  return Float64Array.from({ length: LENGTH }, () => {
    const magnitude = 0.05 + 3 * rng.uniform();
    return rng.uniform() < 0.5 ? -magnitude : magnitude;
  });
}

describe("activationForward", () => {
  it("computes relu, tanh, sigmoid and identity", () => {
    const z = new Float64Array([-2, -0.5, 0, 0.5, 2]);
    const a = new Float64Array(5);
    activationForward("relu", z, a, 5);
    expect(Array.from(a)).toEqual([0, 0, 0, 0.5, 2]);
    activationForward("tanh", z, a, 5);
    expect(Array.from(a)).toEqual(Array.from(z, Math.tanh));
    activationForward("sigmoid", z, a, 5);
    expect(Array.from(a)).toEqual(Array.from(z, (v) => 1 / (1 + Math.exp(-v))));
    activationForward("identity", z, a, 5);
    expect(Array.from(a)).toEqual(Array.from(z));
  });

  it("keeps sigmoid finite for extreme inputs", () => {
    const a = new Float64Array(2);
    activationForward("sigmoid", new Float64Array([-1000, 1000]), a, 2);
    expect(Array.from(a)).toEqual([0, 1]);
  });

  it("touches only the first `length` entries", () => {
    const a = new Float32Array([9, 9, 9]);
    activationForward("identity", new Float32Array([1, 2, 3]), a, 2);
    expect(Array.from(a)).toEqual([1, 2, 9]);
  });
});

describe("activationBackward", () => {
  for (const kind of supports.activations) {
    it(`${kind}: dL/dz matches central differences`, () => {
      const z = preactivations(supports.activations.indexOf(kind));
      const rng = new Rng(100, "test");
      // L = Σ f(z) ⊙ projection, so dL/da = projection.
      const projection = Float64Array.from({ length: LENGTH }, () => rng.normal());
      const a = new Float64Array(LENGTH);
      const f = () => {
        activationForward(kind, z, a, LENGTH);
        let sum = 0;
        for (let j = 0; j < LENGTH; j++) sum += a[j]! * projection[j]!;
        return sum;
      };
      f();
      const gradZ = new Float64Array(LENGTH);
      activationBackward(kind, z, projection, gradZ, LENGTH);
      expect(checkGradient(f, z, gradZ, allIndices(LENGTH)).maxRelativeError).toBeLessThan(TOLERANCE);
    });
  }

  it("adds into gradPreactivations", () => {
    const z = new Float64Array([-1, 2]);
    const a = new Float64Array(2);
    activationForward("relu", z, a, 2);
    const gradZ = new Float64Array([10, 10]);
    activationBackward("relu", z, new Float64Array([3, 4]), gradZ, 2);
    expect(Array.from(gradZ)).toEqual([10, 14]);
  });

  it("gives relu a zero derivative at exactly 0, like torch", () => {
    const z = new Float64Array([0]);
    const gradZ = new Float64Array(1);
    activationBackward("relu", z, new Float64Array([1]), gradZ, 1);
    expect(gradZ[0]).toBe(0);
  });

  it("keeps float32 derivatives of saturated tanh and sigmoid accurate to float32 rounding (1e-6)", () => {
    const z = new Float32Array([5, -6, 8]);
    const exact = {
      tanh: (v: number) => 1 - Math.tanh(v) ** 2,
      sigmoid: (v: number) => Math.exp(-v) / (1 + Math.exp(-v)) ** 2,
    };
    for (const kind of ["tanh", "sigmoid"] as const) {
      const gradZ = new Float32Array(3);
      activationBackward(kind, z, new Float32Array([1, 1, 1]), gradZ, 3);
      for (let j = 0; j < 3; j++) {
        const expected = exact[kind](z[j]!);
        expect(Math.abs(gradZ[j]! - expected) / expected, `${kind}'(${z[j]})`).toBeLessThan(1e-6);
      }
    }
  });
});
