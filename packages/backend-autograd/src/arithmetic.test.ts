import { Rng } from "@crossprop/core";
import { describe, expect, it } from "vitest";
import { add, mul, neg, square, sub } from "./arithmetic.ts";
import { GRADIENT_TOLERANCE, gradientError, randomTensor } from "./finite-differences.fixture.ts";
import { sum } from "./reduce.ts";
import { Tensor } from "./tensor.ts";

// Operand shapes that broadcast: bias rows, columns, scalars, both sides stretched, rank 3.
const SHAPES: [string, number[], number[]][] = [
  ["same shape", [3, 4], [3, 4]],
  ["[n,m] with [m] bias row", [3, 4], [4]],
  ["[m] with [n,m] (bias on the left)", [4], [3, 4]],
  ["[n,m] with [n,1] column", [3, 4], [3, 1]],
  ["[n,m] with a scalar", [3, 4], []],
  ["[n,1] with [1,m] (outer)", [3, 1], [1, 4]],
  ["[2,3,4] with [3,1]", [2, 3, 4], [3, 1]],
];

const OPS = { add, sub, mul };

function broadcastShape(a: number[], b: number[]): number[] {
  return [...add(Tensor.from(new Array(a.reduce((p, e) => p * e, 1)).fill(0), a, "float64"), Tensor.from(new Array(b.reduce((p, e) => p * e, 1)).fill(0), b, "float64")).shape];
}

describe("add, sub, mul", () => {
  for (const [name, op] of Object.entries(OPS)) {
    for (const [label, shapeA, shapeB] of SHAPES) {
      it(`${name}: ${label} — gradients match central differences`, () => {
        const rng = new Rng(11, `${name}:${label}`);
        const a = randomTensor(rng, shapeA);
        const b = randomTensor(rng, shapeB);
        expect(gradientError(op, [a, b])).toBeLessThan(GRADIENT_TOLERANCE);
      });
    }
  }

  it.each(SHAPES)("sub: %s — the bits of a + (-b) in float32, value and both gradients", (_label, shapeA, shapeB) => {
    const rng = new Rng(5, `sub-bits:${_label}`);
    const float32 = (shape: number[]) => Tensor.from(Array.from(randomTensor(rng, shape).data, (v) => v * 1e3), shape, "float32", true);
    const [a, b] = [float32(shapeA), float32(shapeB)];
    const weights = randomTensor(rng, broadcastShape(shapeA, shapeB));
    const w = Tensor.from(weights.data, weights.shape, "float32");
    const run = (f: (x: Tensor, y: Tensor) => Tensor) => {
      const [x, y] = [Tensor.from(a.data, a.shape, "float32", true), Tensor.from(b.data, b.shape, "float32", true)];
      const out = f(x, y);
      sum(mul(out, w)).backward();
      return [out.data, x.grad!, y.grad!].map((array) => Array.from(array));
    };
    expect(run(sub)).toEqual(run((x, y) => add(x, neg(y))));
  });

  it("broadcasts values the NumPy way", () => {
    const a = Tensor.from([1, 2, 3, 4, 5, 6], [2, 3], "float64");
    expect(Array.from(add(a, Tensor.from([10, 20, 30], [3], "float64")).data)).toEqual([11, 22, 33, 14, 25, 36]);
    expect(Array.from(mul(a, Tensor.from([2, 3], [2, 1], "float64")).data)).toEqual([2, 4, 6, 12, 15, 18]);
    expect(Array.from(sub(a, 1).data)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(Array.from(sub(1, a).data)).toEqual([0, -1, -2, -3, -4, -5]);
    expect(Array.from(neg(a).data)).toEqual([-1, -2, -3, -4, -5, -6]);
    expect(add(Tensor.from([1, 2], [2, 1], "float64"), Tensor.from([1, 2, 3], [1, 3], "float64")).shape).toEqual([2, 3]);
  });

  it("sums the gradient of a stretched operand over the stretched axes", () => {
    // L = Σ_ij w_ij·(a_ij + bias_j)·column_i: dL/dbias_j = Σ_i w_ij·column_i, dL/dcolumn_i = Σ_j w_ij·(a_ij + bias_j).
    const a = Tensor.from([1, 2, 3, 4, 5, 6], [2, 3], "float64", true);
    const bias = Tensor.from([10, 20, 30], [3], "float64", true);
    const column = Tensor.from([2, 3], [2, 1], "float64", true);
    const weights = Tensor.from([1, 0, 2, 0, 1, 1], [2, 3], "float64");
    sum(mul(mul(add(a, bias), column), weights)).backward();
    expect(Array.from(bias.grad!)).toEqual([2, 3, 7]);
    expect(Array.from(column.grad!)).toEqual([11 + 2 * 33, 25 + 36]);
    expect(Array.from(a.grad!)).toEqual([2, 0, 4, 0, 3, 3]);
  });

  it("rejects shapes that do not broadcast and mixed dtypes", () => {
    const a = Tensor.zeros([2, 3], "float64");
    expect(() => add(a, Tensor.zeros([2], "float64"))).toThrow("cannot broadcast");
    expect(() => mul(a, Tensor.zeros([2, 3], "float32"))).toThrow("mixed dtypes");
  });
});

describe("square", () => {
  it("is x·x with the gradient 2x accumulated from both uses", () => {
    const x = Tensor.from([-1.5, 0.5, 3], [3], "float64", true);
    const y = square(x);
    expect(Array.from(y.data)).toEqual([2.25, 0.25, 9]);
    expect(y.op).toBe("mul");
    sum(y).backward();
    expect(Array.from(x.grad!)).toEqual([-3, 1, 6]);
    expect(gradientError(square, [randomTensor(new Rng(2, "square"), [4, 3])])).toBeLessThan(GRADIENT_TOLERANCE);
  });
});

describe("neg", () => {
  it("gradient (-1) matches central differences", () => {
    expect(gradientError(neg, [randomTensor(new Rng(3, "neg"), [2, 5])])).toBeLessThan(GRADIENT_TOLERANCE);
  });
});
