import { allocFloat, type DType, type FloatArray } from "@crossprop/core";
import type { SparseRows } from "@crossprop/kernels";
import { allocBuffer, currentPool, type BufferPool } from "./buffer-pool.ts";

/** How a tensor was computed: its inputs and how to pass its gradient back to them. */
interface Creator {
  readonly op: string;
  readonly parents: readonly Tensor[];
  /** Adds d(root)/d(parent) to each parent's `grad`, given d(root)/d(this) in `grad`. */
  readonly backward: (grad: FloatArray) => void;
}

let gradEnabled = true;

/** Runs `fn` without building a graph (evaluation, optimizer updates). */
export function noGrad<T>(fn: () => T): T {
  const previous = gradEnabled;
  gradEnabled = false;
  try {
    return fn();
  } finally {
    gradEnabled = previous;
  }
}

export function isGradEnabled(): boolean {
  return gradEnabled;
}

function checkLength(data: FloatArray, shape: readonly number[]): void {
  const size = sizeOf(shape);
  if (data.length !== size) throw new Error(`tensor data has ${data.length} elements, shape [${shape.join(", ")}] needs ${size}`);
}

function sizeOf(shape: readonly number[]): number {
  let size = 1;
  for (const extent of shape) size *= extent;
  return size;
}

/**
 * A row-major n-d array of float32 (or float64, for gradient checks) with reverse-mode autodiff.
 * Tensors are immutable once made, except parameters updated in place under `noGrad`.
 */
export class Tensor {
  readonly shape: readonly number[];
  readonly size: number;
  readonly dtype: DType;
  private gradStorage: FloatArray | null = null;
  /** The gradient buffer holds nothing of this pass yet: it reads as zeros, filled on first read. */
  private gradUnset = false;
  readonly requiresGrad: boolean;
  private creator: Creator | null = null;
  private released = false;
  /** The values; null until `materialise` builds them, for a tensor made from its nonzeros. */
  private storage: FloatArray | null;
  private materialise: (() => Float32Array) | null = null;
  private sparse: SparseRows | null = null;
  /** The pool that lent this tensor its buffers, and the epoch in which they stay valid. */
  private readonly pool: BufferPool | null;
  private readonly epoch: number;

  /** `data` may be a function building float32 values on first read (a tensor made from its nonzeros). */
  constructor(data: FloatArray | (() => Float32Array), shape: readonly number[], requiresGrad = false) {
    const size = sizeOf(shape);
    this.shape = [...shape];
    this.size = size;
    if (typeof data === "function") {
      this.storage = null;
      this.materialise = data;
    } else {
      checkLength(data, shape);
      this.storage = data;
    }
    this.dtype = data instanceof Float64Array ? "float64" : "float32";
    this.requiresGrad = requiresGrad;
    this.pool = currentPool();
    this.epoch = this.pool?.epoch ?? 0;
  }

  /** The values; throws if the pool that lent them has moved on (the buffer may be reused). */
  get data(): FloatArray {
    this.assertLive();
    if (this.storage === null) {
      const values = this.materialise!();
      checkLength(values, this.shape);
      this.storage = values;
      this.materialise = null;
    }
    return this.storage;
  }

  /** The nonzeros by row, in kernel memory, of a constant matrix that knows them (a batch's inputs); else null. */
  get nonzeros(): SparseRows | null {
    if (this.sparse !== null) this.assertLive();
    return this.sparse;
  }

  /**
   * A constant [rows, columns] float32 matrix with its nonzeros (valid as long as this tensor is):
   * matmul then reads only those. `dense` is its values, or builds them when something reads `data`.
   */
  static withNonzeros(nonzeros: SparseRows, dense: Float32Array | (() => Float32Array)): Tensor {
    const tensor = new Tensor(dense, [nonzeros.rows, nonzeros.columns]);
    tensor.sparse = nonzeros;
    return tensor;
  }

  private assertLive(): void {
    if (this.pool !== null && this.pool.epoch !== this.epoch) {
      throw new Error("tensor used after its pool scope ended: its buffer may already hold another tensor");
    }
  }

  /** A zero tensor; its buffer comes from the active pool, if any. */
  static zeros(shape: readonly number[], dtype: DType, requiresGrad = false): Tensor {
    return new Tensor(allocBuffer(dtype, sizeOf(shape)), shape, requiresGrad);
  }

  /** A tensor holding a copy of `values`. */
  static from(values: ArrayLike<number>, shape: readonly number[], dtype: DType, requiresGrad = false): Tensor {
    const tensor = Tensor.zeros(shape, dtype, requiresGrad);
    tensor.storage!.set(values);
    return tensor;
  }

  static scalar(value: number, dtype: DType): Tensor {
    const tensor = Tensor.zeros([], dtype);
    tensor.storage![0] = value;
    return tensor;
  }

  /**
   * The output of an op: records `parents` and `backward` when grad mode is on and any parent needs
   * a gradient; otherwise a plain constant, so no graph is built.
   */
  static fromOp(op: string, data: FloatArray, shape: readonly number[], parents: readonly Tensor[], backward: (grad: FloatArray) => void): Tensor {
    const tracked = gradEnabled && parents.some((parent) => parent.requiresGrad);
    const out = new Tensor(data, shape, tracked);
    if (tracked) out.creator = { op, parents, backward };
    return out;
  }

  get op(): string {
    return this.creator?.op ?? "leaf";
  }

  get parents(): readonly Tensor[] {
    return this.creator?.parents ?? [];
  }

  /** d(root)/d(this), accumulated by `backward`; null until a gradient arrives. */
  get grad(): FloatArray | null {
    if (this.gradUnset) {
      this.gradStorage!.fill(0);
      this.gradUnset = false;
    }
    return this.gradStorage;
  }

  set grad(buffer: FloatArray | null) {
    this.gradStorage = buffer;
    this.gradUnset = false;
  }

  /** The gradient buffer, allocated zero-filled on first use (from the pool that made this tensor). */
  gradBuffer(): FloatArray {
    if (this.gradStorage === null) this.allocateGrad();
    return this.grad!;
  }

  /**
   * For a kernel that writes every element of the gradient, with an accumulate flag: the buffer, and
   * whether it holds a gradient to add to. When not, the kernel overwrites it (adding to zeros
   * gives the same values), which saves zeroing a buffer only to add to it.
   */
  gradToWrite(): { grad: FloatArray; accumulate: boolean } {
    if (this.gradStorage === null) this.allocateGrad();
    const accumulate = !this.gradUnset;
    this.gradUnset = false;
    return { grad: this.gradStorage!, accumulate };
  }

  /**
   * For an op whose d/dthis is 1 (same shape): when this pool tensor has no gradient buffer yet, it
   * takes `grad` (its output's gradient, of the same pool) as its own instead of a copy, and true is
   * returned. Its output's backward has then run, so nothing else writes `grad` — but later
   * gradients of this tensor are added into it (the output's `grad` shows their sum).
   */
  adoptGrad(grad: FloatArray): boolean {
    if (this.gradStorage !== null || this.pool === null || grad.length !== this.size) return false;
    this.gradStorage = grad;
    this.gradUnset = false;
    return true;
  }

  /** Every gradient element now reads as 0 (filled when read, or overwritten by the next writer). */
  zeroGrad(): void {
    if (this.gradStorage !== null) this.gradUnset = true;
  }

  /** A pool buffer is left as it is and marked unset; one made outside a pool starts zeroed. */
  private allocateGrad(): void {
    if (this.pool === null) {
      this.gradStorage = allocFloat(this.dtype, this.size);
      return;
    }
    this.gradStorage = this.pool.acquire(this.dtype, this.size, false);
    this.gradUnset = true;
  }

  /** The same values, cut off from the graph: gradients do not flow through it. */
  detach(): Tensor {
    return new Tensor(this.data, this.shape);
  }

  item(): number {
    if (this.size !== 1) throw new Error(`item() needs a single element, tensor has shape [${this.shape.join(", ")}]`);
    return this.data[0]!;
  }

  /** The values, to be updated in place: allowed on a gradient-tracked tensor only under `noGrad`. */
  writableData(): FloatArray {
    if (gradEnabled && this.requiresGrad) throw new Error("in-place update of a tensor that requires grad: wrap it in noGrad");
    return this.data;
  }

  /** In-place `this += scale · values`, allowed on a gradient-tracked tensor only under `noGrad`. */
  addScaledInPlace(values: FloatArray, scale: number): void {
    const data = this.writableData();
    if (values.length !== data.length) throw new Error(`addScaledInPlace: ${values.length} values for ${data.length} elements`);
    for (let i = 0; i < data.length; i++) data[i] = data[i]! + scale * values[i]!;
  }

  /**
   * Accumulates d(this)/d(t) into `t.grad` for every tensor t this one depends on, visiting ops in
   * reverse topological order (deterministic: parents in argument order, depth first), then
   * releases the graph so the step's intermediates can be collected or reused.
   */
  backward(): void {
    this.assertLive(); // its graph's forward buffers would be stale too
    if (!this.requiresGrad) throw new Error("backward() on a tensor that does not require grad");
    if (this.released) throw new Error("backward() twice through the same graph: it was released after the first");
    if (this.size !== 1) throw new Error(`backward() needs a scalar, tensor has shape [${this.shape.join(", ")}]`);
    const order = topologicalOrder(this);
    this.gradBuffer()[0] += 1; // d(root)/d(root) = 1
    for (let i = order.length - 1; i >= 0; i--) {
      const node = order[i]!;
      if (node.creator !== null && node.grad !== null) node.creator.backward(node.grad);
    }
    for (const node of order) {
      if (node.creator === null) continue;
      node.creator = null;
      node.released = true;
    }
  }
}

/** Tensors needing gradients reachable from `root`, each after all of its parents. */
function topologicalOrder(root: Tensor): Tensor[] {
  const order: Tensor[] = [];
  const visited = new Set<Tensor>([root]);
  const stack: { node: Tensor; next: number }[] = [{ node: root, next: 0 }];
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    const parents = top.node.parents;
    if (top.next < parents.length) {
      const parent = parents[top.next++]!;
      if (parent.requiresGrad && !visited.has(parent)) {
        visited.add(parent);
        stack.push({ node: parent, next: 0 });
      }
    } else {
      order.push(top.node);
      stack.pop();
    }
  }
  return order;
}
