import { describe, expect, it } from "vitest";
import { Rng, allIndices, checkGradient, type FloatArray } from "@crossprop/core";
import { Dense } from "./dense.ts";
import { ColumnIndex, RowIndex } from "./nonzero-index.ts";

// Central differences at h = 1e-6 in float64 carry O(h²) truncation plus O(eps·|f|/h) rounding
// error, ≈ 1e-10 here (|f| ≈ 1-10, gradients ≈ 0.1-10): a 1e-6 relative tolerance is safe.
const TOLERANCE = 1e-6;

const ROWS = 5;
const INPUTS = 7;
const OUTPUTS = 6;

function asFloat64(array: FloatArray): Float64Array {
  if (!(array instanceof Float64Array)) throw new Error("expected a float64 array");
  return array;
}

/** A layer with normal weights and biases, and inputs where ~40% of entries and all of row 2 are 0. */
function setUp(seed: number) {
  const rng = new Rng(seed, "test");
  const dense = new Dense(INPUTS, OUTPUTS, "float64");
  for (let j = 0; j < dense.weight.length; j++) dense.weight[j] = rng.normal();
  for (let j = 0; j < dense.bias.length; j++) dense.bias[j] = rng.normal();
  const inputs = Float64Array.from({ length: ROWS * INPUTS }, (_, j) =>
    Math.floor(j / INPUTS) === 2 || rng.uniform() < 0.4 ? 0 : rng.normal(),
  );
  // L = Σ outputs ⊙ projection, so dL/doutputs = projection.
  const projection = Float64Array.from({ length: ROWS * OUTPUTS }, () => rng.normal());
  return { dense, inputs, projection };
}

function forward(dense: Dense, inputs: FloatArray, rows: number, outputs: FloatArray): RowIndex {
  const index = new RowIndex(rows, dense.inputs);
  index.build(inputs, rows);
  dense.forward(index, outputs);
  return index;
}

function objective(dense: Dense, inputs: Float64Array, projection: Float64Array): number {
  const outputs = new Float64Array(ROWS * OUTPUTS);
  forward(dense, inputs, ROWS, outputs);
  let sum = 0;
  for (let j = 0; j < outputs.length; j++) sum += outputs[j]! * projection[j]!;
  return sum;
}

function backward(dense: Dense, inputs: Float64Array, projection: Float64Array, gradInputs: Float64Array | null) {
  const byRow = forward(dense, inputs, ROWS, new Float64Array(ROWS * OUTPUTS));
  const byColumn = new ColumnIndex(ROWS, INPUTS);
  byColumn.build(byRow);
  dense.backward(byColumn, projection, gradInputs);
}

describe("Dense.forward", () => {
  it("computes inputs @ weight + bias like a naive triple loop (1e-12 relative in float64)", () => {
    const { dense, inputs } = setUp(1);
    const outputs = new Float64Array(ROWS * OUTPUTS);
    forward(dense, inputs, ROWS, outputs);
    for (let r = 0; r < ROWS; r++) {
      for (let o = 0; o < OUTPUTS; o++) {
        let expected = dense.bias[o]!;
        for (let i = 0; i < INPUTS; i++) expected += inputs[r * INPUTS + i]! * dense.weight[i * OUTPUTS + o]!;
        expect(outputs[r * OUTPUTS + o]).toBeCloseTo(expected, 12);
      }
    }
    // An all-zero input row gives exactly the bias.
    expect(Array.from(outputs.subarray(2 * OUTPUTS, 3 * OUTPUTS))).toEqual(Array.from(dense.bias));
  });

  it("agrees in float32 with the float64 layer to float32 rounding (1e-5 relative)", () => {
    const { dense, inputs } = setUp(2);
    const dense32 = new Dense(INPUTS, OUTPUTS, "float32");
    dense32.weight.set(dense.weight);
    dense32.bias.set(dense.bias);
    const inputs32 = Float32Array.from(inputs);
    const outputs32 = new Float32Array(ROWS * OUTPUTS);
    const outputs64 = new Float64Array(ROWS * OUTPUTS);
    forward(dense32, inputs32, ROWS, outputs32);
    forward(dense, inputs32, ROWS, outputs64);
    for (let j = 0; j < outputs32.length; j++) {
      expect(Math.abs(outputs32[j]! - outputs64[j]!)).toBeLessThan(1e-5 * Math.max(1, Math.abs(outputs64[j]!)));
    }
  });
});

describe("Dense.backward", () => {
  it("gives dL/dweight, dL/dbias and dL/dinputs that match central differences", () => {
    const { dense, inputs, projection } = setUp(3);
    const gradInputs = new Float64Array(ROWS * INPUTS);
    dense.zeroGradients();
    backward(dense, inputs, projection, gradInputs);
    const f = () => objective(dense, inputs, projection);
    const checks = [
      checkGradient(f, asFloat64(dense.weight), dense.gradWeight, allIndices(dense.weight.length)),
      checkGradient(f, asFloat64(dense.bias), dense.gradBias, allIndices(dense.bias.length)),
      // Zero inputs are checked too: their gradient is needed even though the forward skips them.
      checkGradient(f, inputs, gradInputs, allIndices(inputs.length)),
    ];
    for (const check of checks) expect(check.maxRelativeError).toBeLessThan(TOLERANCE);
  });

  it("adds into the gradients instead of overwriting them", () => {
    const { dense, inputs, projection } = setUp(4);
    const gradInputs = new Float64Array(ROWS * INPUTS);
    dense.zeroGradients();
    backward(dense, inputs, projection, gradInputs);
    const once = { weight: Float64Array.from(dense.gradWeight), bias: Float64Array.from(dense.gradBias), inputs: Float64Array.from(gradInputs) };
    backward(dense, inputs, projection, gradInputs);
    // Twice the same backward is 2× up to the rounding of the running sums (1e-13 relative).
    const expectDoubled = (actual: FloatArray, single: Float64Array) => {
      for (let j = 0; j < single.length; j++) {
        expect(Math.abs(actual[j]! - 2 * single[j]!)).toBeLessThanOrEqual(1e-13 * Math.max(1, Math.abs(single[j]!)));
      }
    };
    expectDoubled(dense.gradWeight, once.weight);
    expectDoubled(dense.gradBias, once.bias);
    expectDoubled(gradInputs, once.inputs);
  });

  it("skips the input gradient when given null, with the same parameter gradients", () => {
    const { dense, inputs, projection } = setUp(5);
    dense.zeroGradients();
    backward(dense, inputs, projection, new Float64Array(ROWS * INPUTS));
    const withInputs = Float64Array.from(dense.gradWeight);
    dense.zeroGradients();
    backward(dense, inputs, projection, null);
    expect(Array.from(dense.gradWeight)).toEqual(Array.from(withInputs));
  });
});
