import type { FloatArray } from "@crossprop/core";
import { accumulateBroadcastGrad, broadcastPlan, type BroadcastPlan } from "./broadcast.ts";
import { allocBuffer } from "./buffer-pool.ts";
import { kernelMemoryHolding, kernelsHolding, type KernelMemory } from "./kernel-memory.ts";
import { Tensor } from "./tensor.ts";

/** A tensor, or a plain number taken as a scalar of the other operand's dtype. */
export type Operand = Tensor | number;

function operands(a: Operand, b: Operand): [Tensor, Tensor] {
  if (typeof a === "number" && typeof b === "number") throw new Error("an op needs at least one tensor operand");
  const dtype = typeof a === "number" ? (b as Tensor).dtype : a.dtype;
  const left = typeof a === "number" ? Tensor.scalar(a, dtype) : a;
  const right = typeof b === "number" ? Tensor.scalar(b, dtype) : b;
  if (left.dtype !== right.dtype) throw new Error(`mixed dtypes: ${left.dtype} and ${right.dtype}`);
  return [left, right];
}

/** a + b, broadcasting. d/da = 1, d/db = 1 (summed over stretched axes). */
export function add(a: Operand, b: Operand): Tensor {
  const [left, right] = operands(a, b);
  if (isRowVectorOf(right, left)) {
    const memory = kernelMemoryHolding(left.data, right.data);
    if (memory !== null) return kernelAddRowVector(memory, left, right);
  }
  const { plan, out } = combineBroadcast(ADD, left, right);
  return Tensor.fromOp("add", out, plan.shape, [left, right], (grad) => {
    if (left.requiresGrad) accumulateBroadcastGrad(left, 0, plan, grad, null);
    if (right.requiresGrad) accumulateBroadcastGrad(right, 1, plan, grad, null);
  });
}

const ADD = 0;
const SUB = 1;
const MUL = 2;
type Combine = typeof ADD | typeof SUB | typeof MUL;
/** The kernels' columnOp for each Combine (the same single float32 operation). */
const COLUMN_OPS = ["add", "sub", "mul"] as const;

/** a + b, a - b or a·b: one IEEE operation, so each short path below gives the general loop's bits. */
function combine(op: Combine, a: number, b: number): number {
  return op === ADD ? a + b : op === SUB ? a - b : a * b;
}

/**
 * left (op) right, broadcast, into a new buffer: a flat loop for same-shape operands, one value per
 * row for a [n, 1] column, else the general loop over the plan's row offsets and strides.
 */
function combineBroadcast(op: Combine, left: Tensor, right: Tensor): { plan: BroadcastPlan; out: FloatArray } {
  const plan = broadcastPlan(left.shape, right.shape);
  const x = left.data;
  const y = right.data;
  const out = allocBuffer(left.dtype, plan.size);
  const [layoutX, layoutY] = plan.layouts;
  if (layoutX === "full" && layoutY === "full") {
    for (let i = 0; i < plan.size; i++) out[i] = combine(op, x[i]!, y[i]!);
    return { plan, out };
  }
  if (layoutX === "full" && layoutY === "column") {
    const kernels = kernelsHolding(x, y, out);
    if (kernels !== null) {
      kernels.columnOp(out as Float32Array, x as Float32Array, y as Float32Array, plan.rows, plan.inner, COLUMN_OPS[op]);
      return { plan, out };
    }
    for (let row = 0, base = 0; row < plan.rows; row++, base += plan.inner) {
      const value = y[row]!;
      for (let j = base, end = base + plan.inner; j < end; j++) out[j] = combine(op, x[j]!, value);
    }
    return { plan, out };
  }
  const [offsetsX, offsetsY] = plan.rowOffsets;
  const [strideX, strideY] = plan.innerStrides;
  for (let row = 0; row < plan.rows; row++) {
    let atX = offsetsX[row]!;
    let atY = offsetsY[row]!;
    const base = row * plan.inner;
    for (let j = 0; j < plan.inner; j++, atX += strideX, atY += strideY) out[base + j] = combine(op, x[atX]!, y[atY]!);
  }
  return { plan, out };
}

/** True when `vector` [m] broadcasts along the rows of `matrix` [n, m] (a bias added to a layer's products). */
function isRowVectorOf(vector: Tensor, matrix: Tensor): boolean {
  return matrix.shape.length === 2 && vector.shape.length === 1 && vector.shape[0] === matrix.shape[1];
}

/** x [n, m] + v [m] by the kernels (the same float32 sums); d/dx = 1, d/dv = Σ over the rows. */
function kernelAddRowVector(memory: KernelMemory, x: Tensor, v: Tensor): Tensor {
  const { kernels } = memory;
  const [rows, columns] = x.shape as [number, number];
  const out = allocBuffer("float32", x.size, false) as Float32Array;
  kernels.addRowVector(x.data as Float32Array, v.data as Float32Array, rows, columns, out);
  return Tensor.fromOp("add", out, x.shape, [x, v], (grad) => {
    const gradOut = grad as Float32Array;
    if (x.requiresGrad && !x.adoptGrad(gradOut)) {
      const target = memory.gradOf(x); // dx += G (G itself when dx has no buffer yet)
      if (target.accumulate) kernels.axpy(target.grad, 1, gradOut, x.size);
      else target.grad.set(gradOut);
    }
    if (v.requiresGrad) {
      const target = memory.gradOf(v); // dv += Σ_r G[r, :]
      kernels.columnSums(target.grad, gradOut, rows, columns, target.accumulate);
    }
  });
}

/** a ⊙ b, broadcasting. d/da = b, d/db = a. */
export function mul(a: Operand, b: Operand): Tensor {
  const [left, right] = operands(a, b);
  const { plan, out } = combineBroadcast(MUL, left, right);
  return Tensor.fromOp("mul", out, plan.shape, [left, right], (grad) => {
    if (left.requiresGrad) accumulateBroadcastGrad(left, 0, plan, grad, right.data);
    if (right.requiresGrad) accumulateBroadcastGrad(right, 1, plan, grad, left.data);
  });
}

/** -x = x · (-1). */
export function neg(x: Tensor): Tensor {
  return mul(x, -1);
}

/**
 * a - b, broadcasting. d/da = 1, d/db = -1 (summed over stretched axes). The same bits as
 * a + (-b): negation is exact, and b's summed gradient is rounded to b's dtype before it is
 * negated and added, as it would be passing through the tensor -b.
 */
export function sub(a: Operand, b: Operand): Tensor {
  const [left, right] = operands(a, b);
  const { plan, out } = combineBroadcast(SUB, left, right);
  return Tensor.fromOp("sub", out, plan.shape, [left, right], (grad) => {
    if (left.requiresGrad) accumulateBroadcastGrad(left, 0, plan, grad, null);
    if (right.requiresGrad) accumulateBroadcastGrad(right, 1, plan, grad, null, true);
  });
}

/** x² = x · x: the same tensor twice, so its gradient arrives twice and is summed (2x). */
export function square(x: Tensor): Tensor {
  return mul(x, x);
}
