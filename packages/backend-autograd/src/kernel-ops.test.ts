import { compareArrays, Rng } from "@crossprop/core";
import { loadKernels } from "@crossprop/kernels";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { relu } from "./activations.ts";
import { add, mul } from "./arithmetic.ts";
import { BufferPool, withPool } from "./buffer-pool.ts";
import { KernelInputs } from "./kernel-inputs.ts";
import { KernelMemory } from "./kernel-memory.ts";
import { logSoftmax } from "./log-softmax.ts";
import { matmul } from "./matmul.ts";
import { max, sum } from "./reduce.ts";
import { Tensor } from "./tensor.ts";

// The kernels sum products in float32 (k ascending) where the TypeScript loops accumulate in float64
// and round once: at most ~k·6e-8 of the terms' scale apart for these k ≤ 40, so 1e-5 relative with
// the conformance suite's 0.2·max|ref| floor (elements near 0 come out of cancelling sums). Ops
// without sums (the bias add itself, relu and its mask) agree to the bit.
const TOLERANCE = { rtol: 1e-5, atol: null, floor: 0.2 };

let memory: KernelMemory;
beforeAll(async () => {
  memory = new KernelMemory(await loadKernels({ threads: 2 }));
});
afterAll(() => memory.dispose());

function values(rng: Rng, size: number, zeroFraction = 0): Float32Array {
  return Float32Array.from({ length: size }, () => (rng.uniform() < zeroFraction ? 0 : rng.normal()));
}

interface Leaves {
  a: ArrayLike<number>;
  b: ArrayLike<number>;
}

/**
 * Runs `build` on leaves holding `a` (constant) and `b` (requires grad), once on plain float32
 * tensors (the TypeScript loops) and once in a kernel-memory pool (the kernels), and returns each
 * run's output and d(Σ out ⊙ w)/db for fixed random weights w, copied out of the pool.
 */
function bothEngines(shapes: { a: number[]; b: number[] }, leaves: Leaves, build: (a: Tensor, b: Tensor) => Tensor) {
  const run = (kernel: boolean) => {
    const pool = new BufferPool(kernel ? memory : null);
    const result = withPool(pool, () => {
      const a = Tensor.from(leaves.a, shapes.a, "float32");
      const b = kernel ? memory.parameter(leaves.b, shapes.b) : Tensor.from(leaves.b, shapes.b, "float32", true);
      const out = build(a, b);
      const rng = new Rng(9, "weights");
      const weights = Tensor.from(Array.from({ length: out.size }, () => rng.normal()), out.shape, "float32");
      sum(mul(out, weights)).backward();
      const copy = { out: Float32Array.from(out.data), gradB: Float32Array.from(b.grad!), inKernelMemory: memory.holds(out.data) };
      if (kernel) memory.free(b.grad as Float32Array), memory.free(b.data as Float32Array);
      return copy;
    });
    pool.clear();
    return result;
  };
  return { typescript: run(false), kernels: run(true) };
}

describe("ops on kernel memory", () => {
  it("matmul runs on the kernels and matches the TypeScript loops, forward and gradient", () => {
    const rng = new Rng(1, "matmul");
    const [n, k, m] = [6, 37, 9];
    const { typescript, kernels } = bothEngines({ a: [n, k], b: [k, m] }, { a: values(rng, n * k, 0.5), b: values(rng, k * m) }, matmul);
    expect(kernels.inKernelMemory).toBe(true);
    expect(typescript.inKernelMemory).toBe(false);
    expect(compareArrays(kernels.out, typescript.out, TOLERANCE).allclose).toBe(true);
    expect(compareArrays(kernels.gradB, typescript.gradB, TOLERANCE).allclose).toBe(true);
  });

  it("matmul of a tensor that knows its nonzeros matches the dense product, and dA flows for a dense left operand", () => {
    const rng = new Rng(2, "sparse");
    const [n, k, m] = [5, 30, 4];
    const inputs = values(rng, n * k, 0.8);
    const weights = values(rng, k * m);
    const pool = new BufferPool(memory);
    const kernelInputs = new KernelInputs(memory, k);
    withPool(pool, () => {
      const sparse = kernelInputs.ofDense(inputs, n);
      expect(sparse.nonzeros).not.toBeNull();
      const dense = Tensor.from(inputs, [n, k], "float32");
      const w = memory.parameter(weights, [k, m]);
      const fromNonzeros = Float32Array.from(matmul(sparse, w).data);
      expect(compareArrays(fromNonzeros, matmul(dense, w).data, TOLERANCE).allclose).toBe(true);
      sum(matmul(sparse, w)).backward();
      const sparseGrad = Float32Array.from(w.grad!);
      w.zeroGrad();
      sum(matmul(dense, w)).backward();
      expect(compareArrays(sparseGrad, w.grad!, TOLERANCE).allclose).toBe(true);
      // A dense left operand that needs a gradient (a hidden layer's activations): dA = G · Wᵀ.
      const hidden = Tensor.from(inputs, [n, k], "float32");
      const left = relu(add(hidden, memory.parameter(new Float32Array(k), [k])));
      sum(matmul(left, w)).backward();
      expect(memory.holds(left.grad)).toBe(true);
    });
    kernelInputs.free();
    pool.clear();
  });

  it("the bias add is bit-identical to the broadcast loop; its bias gradient sums within tolerance", () => {
    const rng = new Rng(3, "bias");
    const [n, m] = [40, 7];
    const { typescript, kernels } = bothEngines({ a: [n, m], b: [m] }, { a: values(rng, n * m), b: values(rng, m) }, add);
    expect(kernels.inKernelMemory).toBe(true);
    expect(Array.from(kernels.out)).toEqual(Array.from(typescript.out));
    expect(compareArrays(kernels.gradB, typescript.gradB, TOLERANCE).allclose).toBe(true);
  });

  it("relu and its gradient mask are bit-identical to the TypeScript loop", () => {
    const rng = new Rng(4, "relu");
    const size = 50;
    const { typescript, kernels } = bothEngines({ a: [size], b: [size] }, { a: [], b: values(rng, size, 0.1) }, (_a, b) => relu(b));
    expect(kernels.inKernelMemory).toBe(true);
    expect(Array.from(kernels.out)).toEqual(Array.from(typescript.out));
    expect(Array.from(kernels.gradB)).toEqual(Array.from(typescript.gradB));
  });

  it("accumulates the gradient of a tensor that several kernel ops read", () => {
    const rng = new Rng(5, "twice");
    const [n, k, m] = [3, 4, 5];
    const bias = values(rng, m);
    const { typescript, kernels } = bothEngines({ a: [n, k], b: [k, m] }, { a: values(rng, n * k), b: values(rng, k * m) }, (a, b) => {
      // b is read by relu and by a matmul; the sum of the two products gets its gradient from the bias add.
      const products = add(matmul(a, relu(b)), matmul(a, b));
      return add(add(products, Tensor.from(bias, [m], "float32")), relu(products));
    });
    expect(kernels.inKernelMemory).toBe(true);
    expect(compareArrays(kernels.out, typescript.out, TOLERANCE).allclose).toBe(true);
    expect(compareArrays(kernels.gradB, typescript.gradB, TOLERANCE).allclose).toBe(true);
  });

  it("log-softmax's ops (max, the column subtract, exp, row sums) and their gradients are bit-identical to the TypeScript loops", () => {
    const rng = new Rng(6, "log-softmax");
    const [n, c] = [33, 10];
    const logits = values(rng, n * c, 0.1);
    for (let i = 0; i < logits.length; i += 7) logits[i + 1] = logits[i]!; // ties for max
    const calls = ["rowMax", "columnOp", "rowSums", "addProducts", "axpy"].map((name) => vi.spyOn(memory.kernels, name as "axpy"));
    // max's own gradient too (it is detached inside logSoftmax): the row's best takes its output's gradient.
    const { typescript, kernels } = bothEngines({ a: [n, c], b: [n, c] }, { a: [], b: logits }, (_a, b) => add(logSoftmax(b), max(b, -1, true)));
    for (const call of calls) {
      expect(call).toHaveBeenCalled();
      call.mockRestore();
    }
    expect(kernels.inKernelMemory).toBe(true);
    expect(Array.from(kernels.out)).toEqual(Array.from(typescript.out));
    expect(Array.from(kernels.gradB)).toEqual(Array.from(typescript.gradB));
  });

  it("sum along the last axis and over everything, and their gradients, are bit-identical to the TypeScript loops", () => {
    const rng = new Rng(7, "sums");
    const [n, c] = [17, 9];
    const rows = vi.spyOn(memory.kernels, "rowSums");
    const { typescript, kernels } = bothEngines({ a: [n, c], b: [n, c] }, { a: [], b: values(rng, n * c) }, (_a, b) => add(sum(b, -1, true), sum(b)));
    expect(rows).toHaveBeenCalled();
    rows.mockRestore();
    expect(Array.from(kernels.out)).toEqual(Array.from(typescript.out));
    expect(Array.from(kernels.gradB)).toEqual(Array.from(typescript.gradB));
  });

  it("a column broadcast's gradients (added, multiplied) are bit-identical to the TypeScript loops", () => {
    const rng = new Rng(8, "columns");
    const [n, c] = [21, 6];
    const column = values(rng, n);
    const rowSums = vi.spyOn(memory.kernels, "rowSums");
    const columnOp = vi.spyOn(memory.kernels, "columnOp");
    // a + column and a · column for a column b that needs its gradient: through the add it is
    // rowSums' "add"; through the product (a column times a full factor) the TypeScript loop.
    const { typescript, kernels } = bothEngines({ a: [n, c], b: [n, 1] }, { a: values(rng, n * c), b: column }, (a, b) => mul(add(a, b), add(mul(a, b), b)));
    expect(rowSums.mock.calls.some((call) => call[4] === "add")).toBe(true);
    const calls = [rowSums, columnOp];
    for (const call of calls) {
      expect(call).toHaveBeenCalled();
      call.mockRestore();
    }
    expect(Array.from(kernels.out)).toEqual(Array.from(typescript.out));
    expect(Array.from(kernels.gradB)).toEqual(Array.from(typescript.gradB));
  });

  it("runs the TypeScript loops when an operand is not in kernel memory", () => {
    const pool = new BufferPool(memory);
    withPool(pool, () => {
      const outside = new Tensor(new Float32Array([1, 2, 3, 4]), [2, 2]);
      const out = matmul(outside, memory.parameter([1, 0, 0, 1], [2, 2]));
      expect(Array.from(out.data)).toEqual([1, 2, 3, 4]);
      expect(memory.holds(out.data)).toBe(true); // the output still comes from the pool
    });
    pool.clear();
  });
});

describe("KernelInputs", () => {
  it("builds pixel rows from their bytes, with dense floats only when read", () => {
    const features = 6;
    const bytes = Uint8Array.from([0, 255, 0, 0, 51, 0, 0, 0, 0, 102, 0, 0]);
    const scale = new Float32Array(256).map((_, v) => v / 255);
    const pool = new BufferPool(memory);
    const kernelInputs = new KernelInputs(memory, features);
    withPool(pool, () => {
      const batch = { size: 2, get inputs(): Float32Array { throw new Error("dense inputs read"); }, pixels: { bytes, scale }, labels: null, targets: null };
      const tensor = kernelInputs.ofBatch(batch);
      expect(tensor.nonzeros!.nonzeros).toBe(3);
      expect(Array.from(tensor.data)).toEqual(Array.from(bytes, (b) => scale[b]!));
    });
    kernelInputs.free();
    pool.clear();
  });

  it("keeps dense float inputs dense above 50% nonzeros", () => {
    const pool = new BufferPool(memory);
    const kernelInputs = new KernelInputs(memory, 2);
    withPool(pool, () => {
      expect(kernelInputs.ofDense(new Float32Array([1, 2, 0, 3]), 2).nonzeros).toBeNull();
      expect(kernelInputs.ofDense(new Float32Array([1, 0, 0, 3]), 2).nonzeros).not.toBeNull();
      expect(kernelInputs.ofDense(new Float32Array([1, 0, 0, 0]), 2).nonzeros).not.toBeNull();
    });
    kernelInputs.free();
    pool.clear();
  });
});
