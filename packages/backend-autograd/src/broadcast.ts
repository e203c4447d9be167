import type { FloatArray } from "@crossprop/core";
import { allocScratch } from "./buffer-pool.ts";
import { kernelsHolding } from "./kernel-memory.ts";
import type { Tensor } from "./tensor.ts";

/**
 * How two shapes broadcast (NumPy rules: align trailing axes; an axis of extent 1 stretches),
 * laid out for a two-level loop: every output row (all axes but the last) starts at a known offset
 * in each operand, and along the last axis each operand steps by 1 or stays put (stride 0).
 */
export interface BroadcastPlan {
  shape: number[];
  size: number;
  rows: number;
  inner: number;
  rowOffsets: [Int32Array, Int32Array];
  innerStrides: [number, number];
  /**
   * Per operand, the two layouts the loops take a short path for: "full" (its element i is the
   * output's element i) and "column" (one value per output row: a [n, 1] beside [n, m]). The short
   * paths do the same operations in the same order as the general loop.
   */
  layouts: [OperandLayout, OperandLayout];
}

export type OperandLayout = "full" | "column" | "other";

export function broadcastShapes(a: readonly number[], b: readonly number[]): number[] {
  const rank = Math.max(a.length, b.length);
  const shape: number[] = [];
  for (let axis = 0; axis < rank; axis++) {
    const extentA = a[axis - rank + a.length] ?? 1;
    const extentB = b[axis - rank + b.length] ?? 1;
    if (extentA !== extentB && extentA !== 1 && extentB !== 1) {
      throw new Error(`cannot broadcast shapes [${a.join(", ")}] and [${b.join(", ")}]`);
    }
    shape.push(extentA === 1 ? extentB : extentA);
  }
  return shape;
}

/** Plans by operand shapes: a training step asks for the same few every time (read them, never change them). */
const plans = new Map<string, BroadcastPlan>();
const MAX_PLANS = 256;

export function broadcastPlan(a: readonly number[], b: readonly number[]): BroadcastPlan {
  const key = `${a.join(",")};${b.join(",")}`;
  let plan = plans.get(key);
  if (plan === undefined) {
    if (plans.size >= MAX_PLANS) plans.clear();
    plan = makePlan(a, b);
    plans.set(key, plan);
  }
  return plan;
}

function makePlan(a: readonly number[], b: readonly number[]): BroadcastPlan {
  const shape = broadcastShapes(a, b);
  const rank = shape.length;
  const inner = rank === 0 ? 1 : shape[rank - 1]!;
  const rows = rank === 0 ? 1 : shape.slice(0, -1).reduce((product, extent) => product * extent, 1);
  const strides = [broadcastStrides(a, shape), broadcastStrides(b, shape)];
  const rowOffsets: [Int32Array, Int32Array] = [new Int32Array(rows), new Int32Array(rows)];
  for (let row = 0; row < rows; row++) {
    // Decompose the row number into its multi-index over the leading axes, last axis fastest.
    let rest = row;
    for (let axis = rank - 2; axis >= 0; axis--) {
      const index = rest % shape[axis]!;
      rest = (rest - index) / shape[axis]!;
      rowOffsets[0][row] += index * strides[0]![axis]!;
      rowOffsets[1][row] += index * strides[1]![axis]!;
    }
  }
  const innerStrides: [number, number] = rank === 0 ? [0, 0] : [strides[0]![rank - 1]!, strides[1]![rank - 1]!];
  const layout = (side: 0 | 1): OperandLayout => {
    const offsets = rowOffsets[side];
    let full = innerStrides[side] === 1 || inner === 1;
    let column = innerStrides[side] === 0;
    for (let row = 0; row < rows && (full || column); row++) {
      full &&= offsets[row] === row * inner;
      column &&= offsets[row] === row;
    }
    return full ? "full" : column ? "column" : "other";
  };
  return { shape, size: rows * inner, rows, inner, rowOffsets, innerStrides, layouts: [layout(0), layout(1)] };
}

/** Row-major strides of `shape` read as `target` (right-aligned), 0 along stretched axes. */
function broadcastStrides(shape: readonly number[], target: readonly number[]): number[] {
  const strides = new Array<number>(target.length).fill(0);
  let stride = 1;
  for (let axis = shape.length - 1; axis >= 0; axis--) {
    const targetAxis = axis + target.length - shape.length;
    strides[targetAxis] = shape[axis] === 1 ? 0 : stride;
    stride *= shape[axis]!;
  }
  return strides;
}

/**
 * target.grad += grad ⊙ factor (factor omitted: 1), summed over the axes along which `target` was
 * stretched — the adjoint of broadcasting. `side` says which operand of `plan` the target is. Sums
 * over stretched axes run in float64 and are rounded once, so they do not depend on the row count.
 * `negate` subtracts instead (sub's right operand): each stretched sum is rounded to the target's
 * dtype first, then negated, so the bits are those of adding the gradient of -target.
 */
export function accumulateBroadcastGrad(
  target: Tensor,
  side: 0 | 1,
  plan: BroadcastPlan,
  grad: FloatArray,
  factor: FloatArray | null,
  negate = false,
): void {
  const stretched = target.size !== plan.size;
  const { rows, inner } = plan;
  const layout = plan.layouts[side];
  const factorLayout = plan.layouts[1 - side]!;
  if (layout === "full" && !stretched && (factor === null || factorLayout === "full")) {
    const sink = target.gradBuffer();
    // On kernel memory the kernels do the same: a float32 add (or subtract), or JavaScript's float64 product-and-sum rounded once.
    const kernels = kernelsHolding(sink, grad, factor ?? grad);
    if (kernels !== null && factor !== null) kernels.addProducts(sink as Float32Array, grad as Float32Array, factor as Float32Array, plan.size);
    else if (kernels !== null) kernels.axpy(sink as Float32Array, negate ? -1 : 1, grad as Float32Array, plan.size);
    else if (factor !== null) for (let i = 0; i < plan.size; i++) sink[i] += grad[i]! * factor[i]!;
    else if (negate) for (let i = 0; i < plan.size; i++) sink[i] -= grad[i]!;
    else for (let i = 0; i < plan.size; i++) sink[i] += grad[i]!;
    return;
  }
  // A stretched column on kernel memory: each row's float64 sum, then addSink's step, by the kernels.
  const columnKernels = layout === "column" && stretched && factor === null ? kernelsHolding(target.gradBuffer(), grad) : null;
  if (columnKernels !== null) return columnKernels.rowSums(target.gradBuffer() as Float32Array, grad as Float32Array, rows, inner, negate ? "subtract" : "add");
  const sink = stretched ? allocScratch(target.size) : target.gradBuffer();
  if (layout === "column" && (factor === null || factorLayout === "full")) {
    // One output row's gradient summed into the row's single value, j ascending, as below.
    for (let row = 0; row < rows; row++) {
      const out = row * inner;
      let total = sink[row]!;
      if (factor === null) for (let j = 0; j < inner; j++) total += grad[out + j]!;
      else for (let j = 0; j < inner; j++) total += grad[out + j]! * factor[out + j]!;
      sink[row] = total;
    }
    if (stretched) addSink(target, sink, negate);
    else if (negate) throw new Error("accumulateBroadcastGrad: negate needs a stretched column");
    return;
  }
  const offsets = plan.rowOffsets[side];
  const stride = plan.innerStrides[side];
  const factorOffsets = plan.rowOffsets[1 - side]!;
  const factorStride = plan.innerStrides[1 - side]!;
  for (let row = 0; row < rows; row++) {
    let at = offsets[row]!;
    const out = row * inner;
    if (factor === null && negate && !stretched) {
      for (let j = 0; j < inner; j++, at += stride) sink[at] -= grad[out + j]!;
    } else if (factor === null) {
      for (let j = 0; j < inner; j++, at += stride) sink[at] += grad[out + j]!;
    } else {
      let factorAt = factorOffsets[row]!;
      for (let j = 0; j < inner; j++, at += stride, factorAt += factorStride) sink[at] += grad[out + j]! * factor[factorAt]!;
    }
  }
  if (stretched) addSink(target, sink, negate);
}

/** target.grad += sums (or -= each sum rounded to the target's dtype, see accumulateBroadcastGrad). */
function addSink(target: Tensor, sink: FloatArray, negate: boolean): void {
  const targetGrad = target.gradBuffer();
  if (!negate) for (let i = 0; i < sink.length; i++) targetGrad[i] += sink[i]!;
  else if (target.dtype === "float32") for (let i = 0; i < sink.length; i++) targetGrad[i] -= Math.fround(sink[i]!);
  else for (let i = 0; i < sink.length; i++) targetGrad[i] -= sink[i]!;
}
