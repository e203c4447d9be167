import { describe, expect, it } from "vitest";
import { Rng } from "./rng.ts";

describe("Rng (xoshiro128**)", () => {
  it("gives the same sequence for the same seed and stream", () => {
    const a = new Rng(42, "init");
    const b = new Rng(42, "init");
    for (let i = 0; i < 1000; i++) expect(a.nextUint32()).toBe(b.nextUint32());
  });

  it("gives different sequences for different seeds or streams", () => {
    const draw = (rng: Rng) => Array.from({ length: 8 }, () => rng.nextUint32());
    expect(draw(new Rng(1, "init"))).not.toEqual(draw(new Rng(2, "init")));
    expect(draw(new Rng(1, "init"))).not.toEqual(draw(new Rng(1, "shuffle")));
    expect(draw(new Rng(1))).not.toEqual(draw(new Rng(1 + 2 ** 32)));
  });

  it("has uniform moments within 5 standard errors (n = 200k)", () => {
    const rng = new Rng(7);
    const n = 200_000;
    let sum = 0;
    let sumSq = 0;
    let min = 1;
    let max = 0;
    for (let i = 0; i < n; i++) {
      const u = rng.uniform();
      sum += u;
      sumSq += u * u;
      min = Math.min(min, u);
      max = Math.max(max, u);
    }
    const mean = sum / n;
    // U(0,1): mean 1/2 with standard error sqrt(1/12/n) ≈ 6.5e-4; variance 1/12 with s.e. ≈ 1.9e-4.
    expect(Math.abs(mean - 0.5)).toBeLessThan(5 * Math.sqrt(1 / 12 / n));
    expect(Math.abs(sumSq / n - mean * mean - 1 / 12)).toBeLessThan(5 * Math.sqrt(1 / 180 / n));
    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeLessThan(1);
  });

  it("has normal moments within 5 standard errors (n = 200k)", () => {
    const rng = new Rng(11);
    const n = 200_000;
    let m1 = 0;
    let m2 = 0;
    let m3 = 0;
    let m4 = 0;
    for (let i = 0; i < n; i++) {
      const z = rng.normal();
      m1 += z;
      m2 += z * z;
      m3 += z * z * z;
      m4 += z * z * z * z;
    }
    // Standard errors of the sample moments of N(0,1): sqrt(Var(z^k)/n) = sqrt(1, 2, 15, 96)/sqrt(n).
    const se = (v: number) => 5 * Math.sqrt(v / n);
    expect(Math.abs(m1 / n)).toBeLessThan(se(1));
    expect(Math.abs(m2 / n - 1)).toBeLessThan(se(2));
    expect(Math.abs(m3 / n)).toBeLessThan(se(15));
    expect(Math.abs(m4 / n - 3)).toBeLessThan(se(96));
  });

  it("permutes every index exactly once", () => {
    const order = new Rng(3).permutation(1000);
    expect([...order].sort((a, b) => a - b)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    expect([...order.slice(0, 10)]).not.toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it("rejects seeds that are not non-negative integers", () => {
    expect(() => new Rng(-1)).toThrow(RangeError);
    expect(() => new Rng(0.5)).toThrow(RangeError);
  });
});
