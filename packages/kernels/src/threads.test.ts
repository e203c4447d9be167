import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Kernels, loadKernels, PARALLEL_ELEMENTS, PARALLEL_FLOPS, SPARSE_PARALLEL_FLOPS, type SparseRows } from "./index.ts";
import { fillRandom, seededRandom } from "./reference.fixture.ts";
import { acquireRuntime } from "./runtime.ts";
import { SOFTMAX_COST } from "./kernels.ts";

let one: Kernels;
let two: Kernels;
let three: Kernels;
beforeAll(async () => {
  [one, two, three] = await Promise.all([loadKernels({ threads: 1 }), loadKernels({ threads: 2 }), loadKernels({ threads: 3 })]);
});
afterAll(() => {
  for (const kernels of [one, two, three]) kernels.dispose();
});

/** Runs `call` into a fresh copy of `initial` with each handle; asserts identical bytes. */
function sameOnAllThreads(initial: Float32Array, call: (kernels: Kernels, out: Float32Array) => void): void {
  const results = [one, two, three].map((kernels) => {
    const out = kernels.allocFloat32(initial.length);
    out.set(initial);
    call(kernels, out);
    return Buffer.from(out.buffer, out.byteOffset, out.byteLength);
  });
  expect(results[0]!.equals(initial.length ? Buffer.from(initial.buffer, initial.byteOffset, initial.byteLength) : Buffer.alloc(1))).toBe(false);
  expect(results[1]!.equals(results[0]!)).toBe(true);
  expect(results[2]!.equals(results[0]!)).toBe(true);
}

describe("thread count", () => {
  const random = seededRandom(5);
  const rand = (length: number, zeros = 0.1) => fillRandom(one.allocFloat32(length), random, zeros);

  it("shares one memory and grows the pool to the most threaded handle", async () => {
    expect(two.memory).toBe(one.memory);
    expect((await acquireRuntime()).pool.size).toBe(2);
    expect([one.threads, two.threads, three.threads]).toEqual([1, 2, 3]);
  });

  it.each([[253, 129, 67], [256, 784, 256], [97, 256, 10]])("leaves dense products' bytes unchanged (m=%i k=%i n=%i)", (m, k, n) => {
    expect(2 * m * k * n).toBeGreaterThan(PARALLEL_FLOPS);
    const a = rand(m * k);
    const b = rand(k * n);
    const aT = rand(k * m);
    const bT = rand(n * k);
    const initial = rand(m * n);
    for (const accumulate of [false, true]) {
      sameOnAllThreads(initial, (kernels, out) => kernels.matmul(out, a, b, m, k, n, accumulate));
      sameOnAllThreads(initial, (kernels, out) => kernels.matmulTransA(out, aT, b, m, k, n, accumulate));
      sameOnAllThreads(initial, (kernels, out) => kernels.matmulTransB(out, a, bT, m, k, n, accumulate));
    }
  });

  it("leaves sparse products' bytes unchanged", () => {
    const [rows, columns, n] = [253, 301, 70];
    const x = one.createSparse(rows, columns);
    x.setDense(fillRandom(new Float32Array(rows * columns), random, 0.5), rows);
    expect(2 * x.nonzeros * n).toBeGreaterThan(SPARSE_PARALLEL_FLOPS); // so the 2- and 3-thread handles split it
    const b = rand(columns * n);
    const d = rand(rows * n);
    for (const accumulate of [false, true]) {
      sameOnAllThreads(rand(rows * n), (kernels, out) => kernels.sparseMatmul(out, x, b, n, accumulate));
      sameOnAllThreads(rand(columns * n), (kernels, out) => kernels.sparseMatmulTransA(out, x, d, n, accumulate));
    }
    // The epilogue's two outputs too: relu(out + bias) into `activated`, out + bias into out.
    const bias = rand(n);
    const scratch = one.allocFloat32(rows * n);
    sameOnAllThreads(rand(rows * n), (kernels, activated) => kernels.sparseMatmul(scratch, x, b, n, false, { bias, activated }));
    sameOnAllThreads(rand(rows * n), (kernels, out) => kernels.sparseMatmul(out, x, b, n, false, { bias, activated: scratch }));
    x.free();
  });

  it("builds the same compressed rows and columns from bytes and floats on any thread count", () => {
    // Above PARALLEL_ELEMENTS, so each handle's builds split rows (CSR) and columns (CSC).
    const [rows, columns, n] = [150, 333, 160];
    const table = Float32Array.from({ length: 256 }, (_, byte) => byte / 255);
    const source = seededRandom(31);
    const bytes = Uint8Array.from({ length: rows * columns }, () => (source() < 0.25 ? 1 + Math.floor(source() * 255) : 0));
    const floats = fillRandom(new Float32Array(rows * columns), random, 0.7);
    const d = rand(rows * n);
    const b = rand(columns * n);
    // Bytes already in the kernels' memory are read in place, and their builds split evenly.
    const inPlace = one.allocUint8(rows * columns);
    inPlace.set(bytes);
    const sets = [(x: SparseRows) => x.setBytes(bytes, rows, table), (x: SparseRows) => x.setBytes(inPlace, rows, table), (x: SparseRows) => x.setDense(floats, rows)];
    for (const set of sets) {
      const matrices = [one, two, three].map((kernels) => {
        const x = kernels.createSparse(rows, columns);
        set(x);
        return x;
      });
      expect(2 * matrices[0]!.nonzeros * n).toBeGreaterThan(SPARSE_PARALLEL_FLOPS);
      const dense = matrices.map((x) => Buffer.from(x.toDense().buffer));
      expect(dense[1]!.equals(dense[0]!) && dense[2]!.equals(dense[0]!)).toBe(true);
      expect(matrices.map((x) => x.nonzeros)).toEqual([matrices[0]!.nonzeros, matrices[0]!.nonzeros, matrices[0]!.nonzeros]);
      const [x1, x2, x3] = matrices as [SparseRows, SparseRows, SparseRows];
      const byHandle = new Map<Kernels, SparseRows>([[one, x1], [two, x2], [three, x3]]);
      sameOnAllThreads(rand(columns * n), (kernels, out) => kernels.sparseMatmulTransA(out, byHandle.get(kernels)!, d, n));
      sameOnAllThreads(rand(rows * n), (kernels, out) => kernels.sparseMatmul(out, byHandle.get(kernels)!, b, n, true));
      for (const x of matrices) x.free();
    }
  });

  it("leaves elementwise results' bytes unchanged", () => {
    const n = PARALLEL_ELEMENTS + 37;
    const x = rand(n);
    const grad = rand(n);
    const [rows, cols] = [n / 7 | 0, 7];
    sameOnAllThreads(rand(n), (kernels, out) => kernels.relu(out, x, n));
    sameOnAllThreads(rand(n), (kernels, out) => kernels.reluBackward(out, x, grad, n, true));
    sameOnAllThreads(rand(n), (kernels, out) => kernels.axpy(out, 0.3, x, n));
    sameOnAllThreads(rand(n), (kernels, out) => kernels.axpby(out, 0.3, x, -0.7, n));
    const v = rand(cols);
    sameOnAllThreads(rand(rows * cols), (kernels, out) => kernels.addRowVector(out, v, rows, cols));
    const matrix = rand(rows * cols);
    sameOnAllThreads(rand(rows * cols), (kernels, out) => kernels.addRowVector(matrix, v, rows, cols, out));
    sameOnAllThreads(rand(n), (kernels, out) => kernels.exp(out, x, n));
    const wide = rand(64 * 4099);
    sameOnAllThreads(rand(4099), (kernels, out) => kernels.columnSums(out, wide, 64, 4099, true));
    const wideX = rand(64 * 4099);
    const gradOut = one.allocFloat32(64 * 4099);
    sameOnAllThreads(rand(4099), (kernels, sums) => kernels.reluBackwardColumnSums(gradOut, wideX, wide, 64, 4099, sums));
    sameOnAllThreads(rand(64 * 4099), (kernels, out) => kernels.reluBackwardColumnSums(out, wideX, wide, 64, 4099, one.allocFloat32(4099)));
  });

  it("gives softmax cross-entropy's loss and gradient the same bits on any thread count (rows split, losses summed in order)", () => {
    const [rows, classes] = [256, 10]; // manual's MLP batch
    expect(rows * classes * SOFTMAX_COST).toBeGreaterThan(PARALLEL_ELEMENTS); // so the 2- and 3-thread handles split it
    const logits = rand(rows * classes, 0);
    for (let i = 0; i < logits.length; i++) logits[i] = logits[i]! * 20 - 10;
    const labels = one.allocInt32(rows);
    for (let r = 0; r < rows; r++) labels[r] = (r * 7) % classes;
    const losses: number[] = [];
    sameOnAllThreads(rand(rows * classes), (kernels, grad) => losses.push(kernels.softmaxCrossEntropy(logits, labels, rows, classes, 1 / rows, grad)));
    expect(losses[1]).toBe(losses[0]);
    expect(losses[2]).toBe(losses[0]);
    expect(losses[0]).toBeGreaterThan(0);
  });

  it("builds sparse rows on this thread when the products they are made for will run there (width), with the same bytes", async () => {
    const runtime = await acquireRuntime();
    const bytes = Uint8Array.from({ length: 256 * 784 }, (_, i) => ((i * 2654435761) >>> 27 < 6 ? 1 + (i % 255) : 0));
    const table = Float32Array.from({ length: 256 }, (_, v) => v / 255);
    const runs = (width: number | undefined) => {
      const x = two.createSparse(256, 784, width);
      const before = [];
      for (let set = 0; set < 2; set++) {
        let calls = 0;
        const run = runtime.pool.run.bind(runtime.pool);
        runtime.pool.run = (...args) => {
          calls++;
          return run(...args);
        };
        try {
          x.setBytes(bytes, 256, table);
        } finally {
          runtime.pool.run = run;
        }
        before.push(calls);
      }
      const dense = x.toDense();
      x.free();
      return { calls: before, dense };
    };
    const narrow = runs(10); // 2·nonzeros·10 < SPARSE_PARALLEL_FLOPS: the linear model's products run on one thread
    const wide = runs(256);
    const unknown = runs(undefined);
    expect(2 * 256 * 784 * 0.2 * 10).toBeLessThan(SPARSE_PARALLEL_FLOPS);
    expect(narrow.calls).toEqual([1, 0]); // the first set judges by every element, later sets by the nonzeros seen
    expect(wide.calls).toEqual([1, 1]);
    expect(unknown.calls).toEqual([1, 1]);
    expect(Buffer.from(narrow.dense.buffer).equals(Buffer.from(wide.dense.buffer))).toBe(true);
  });

  it("reports a worker's trap as an Error and keeps working", async () => {
    const runtime = await acquireRuntime();
    // Chunk 0 (this thread's) is a long valid relu; chunk 1, far past the memory's end, traps in
    // whichever thread claims it — nearly always the worker, while this thread is still busy. Either
    // way the call throws; the worker's trap must come back as this Error at least once in 10 tries.
    const long = one.allocFloat32(1 << 22);
    const messages: string[] = [];
    for (let attempt = 0; attempt < 10 && !messages.some((m) => m.startsWith("a kernels worker failed")); attempt++) {
      runtime.taskWords.set([runtime.ops.relu, long.byteOffset, long.byteOffset]);
      let message = "no error";
      try {
        runtime.pool.run([0, long.length, 2 ** 29, 2 ** 29 + 16], 2, 1, runtime.exports.runTask);
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).toMatch(/out of bounds/);
      messages.push(message);
    }
    expect(messages.at(-1)).toMatch(/^a kernels worker failed: worker 0: .*out of bounds/);
    one.free(long);
    const x = rand(PARALLEL_ELEMENTS);
    sameOnAllThreads(rand(PARALLEL_ELEMENTS), (kernels, out) => kernels.relu(out, x, PARALLEL_ELEMENTS));
  });
});

describe("loadKernels and dispose", () => {
  it("rejects bad thread counts", async () => {
    await expect(loadKernels({ threads: 0 })).rejects.toThrow(/threads must be an integer in 1\.\.64/);
    await expect(loadKernels({ threads: 1.5 })).rejects.toThrow(/threads must be an integer/);
  });

  it("stops workers no live handle needs, and refuses calls on a disposed handle", async () => {
    const extra = await loadKernels({ threads: 4 });
    const runtime = await acquireRuntime();
    expect(runtime.pool.size).toBe(3);
    extra.dispose();
    await runtime.pool.resize(runtime.workersNeeded());
    expect(runtime.pool.size).toBe(2);
    expect(() => extra.allocFloat32(4)).toThrow(/disposed/);
  });
});
