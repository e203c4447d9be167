import { allocBuffer, allocScratch } from "./buffer-pool.ts";
import { mul } from "./arithmetic.ts";
import { kernelsHolding } from "./kernel-memory.ts";
import { Tensor } from "./tensor.ts";

/** Largest element count whose indices the kernels' rowMax returns exactly (as float32). */
const MAX_KERNEL_INDEX = 2 ** 24;

/** A reduction along one axis, viewing the input as [outer, extent, inner]. */
interface AxisView {
  axis: number;
  outer: number;
  extent: number;
  inner: number;
  shape: number[];
}

function axisView(x: Tensor, axis: number, keepdims: boolean): AxisView {
  const rank = x.shape.length;
  const resolved = axis < 0 ? axis + rank : axis;
  if (!Number.isInteger(resolved) || resolved < 0 || resolved >= rank) throw new Error(`axis ${axis} out of range for rank ${rank}`);
  const outer = x.shape.slice(0, resolved).reduce((product, extent) => product * extent, 1);
  const inner = x.shape.slice(resolved + 1).reduce((product, extent) => product * extent, 1);
  // Built by push: shapes from map/filter sent sum into a deoptimization loop in V8 (over 100 per run).
  const shape: number[] = [];
  for (let i = 0; i < rank; i++) if (keepdims || i !== resolved) shape.push(i === resolved ? 1 : x.shape[i]!);
  return { axis: resolved, outer, extent: x.shape[resolved]!, inner, shape };
}

/**
 * Σ x over every element (axis omitted: a scalar) or along `axis`. Sums run in float64 and are
 * rounded once. d/dx = 1: every input element receives its output's gradient.
 */
export function sum(x: Tensor, axis?: number, keepdims = false): Tensor {
  const view = axis === undefined ? { axis: 0, outer: 1, extent: x.size, inner: 1, shape: keepdims ? x.shape.map(() => 1) : [] } : axisView(x, axis, keepdims);
  const { outer, extent, inner } = view;
  const input = x.data;
  const out = allocBuffer(x.dtype, outer * inner);
  const kernels = inner === 1 ? kernelsHolding(input, out) : null;
  // Along the last axis (a row's classes): one float64 running sum per row, in the same order (the kernels' too).
  if (kernels !== null) kernels.rowSums(out as Float32Array, input as Float32Array, outer, extent);
  else if (inner === 1) {
    for (let o = 0; o < outer; o++) {
      let total = 0;
      for (let a = o * extent, end = a + extent; a < end; a++) total += input[a]!;
      out[o] = total;
    }
  } else {
    const totals = allocScratch(outer * inner);
    for (let o = 0; o < outer; o++) {
      for (let a = 0; a < extent; a++) {
        const from = (o * extent + a) * inner;
        for (let i = 0; i < inner; i++) totals[o * inner + i] += input[from + i]!;
      }
    }
    out.set(totals);
  }
  return Tensor.fromOp("sum", out, view.shape, [x], (grad) => {
    const gradX = x.gradBuffer();
    if (inner === 1) {
      const kernels = kernelsHolding(gradX, grad);
      if (kernels !== null) return kernels.columnOp(gradX as Float32Array, gradX as Float32Array, grad as Float32Array, outer, extent, "add");
      for (let o = 0; o < outer; o++) {
        const g = grad[o]!;
        for (let a = o * extent, end = a + extent; a < end; a++) gradX[a] += g;
      }
      return;
    }
    for (let o = 0; o < outer; o++) {
      for (let a = 0; a < extent; a++) {
        const from = (o * extent + a) * inner;
        for (let i = 0; i < inner; i++) gradX[from + i] += grad[o * inner + i]!;
      }
    }
  });
}

/** mean x = (Σ x) · (1/n), n the number of elements summed. */
export function mean(x: Tensor, axis?: number, keepdims = false): Tensor {
  const count = axis === undefined ? x.size : axisView(x, axis, keepdims).extent;
  return mul(sum(x, axis, keepdims), 1 / count);
}

/**
 * The largest x along `axis`. d/dx = 1 at the argmax (the first one on ties, like PyTorch's
 * indices), 0 elsewhere.
 */
export function max(x: Tensor, axis: number, keepdims = false): Tensor {
  const { outer, extent, inner, shape } = axisView(x, axis, keepdims);
  if (extent === 0) throw new Error("max over an empty axis");
  const input = x.data;
  const out = allocBuffer(x.dtype, outer * inner);
  const kernels = inner === 1 && x.size <= MAX_KERNEL_INDEX ? kernelsHolding(input, out) : null;
  // Element indices, exact in float64 (and, for the kernels, in float32 up to 2²⁴).
  const argmax = kernels !== null ? allocBuffer("float32", outer, false) : allocScratch(outer * inner);
  if (kernels !== null) kernels.rowMax(out as Float32Array, argmax as Float32Array, input as Float32Array, outer, extent);
  else if (inner === 1) {
    // Along the last axis: the same comparisons, the running best kept in a register.
    for (let o = 0, start = 0; o < outer; o++, start += extent) {
      let best = start;
      let bestValue = input[start]!;
      for (let at = start + 1, end = start + extent; at < end; at++) {
        const value = input[at]!;
        if (value > bestValue) {
          best = at;
          bestValue = value;
        }
      }
      out[o] = bestValue;
      argmax[o] = best;
    }
  } else {
    for (let o = 0; o < outer; o++) {
      for (let i = 0; i < inner; i++) {
        let best = o * extent * inner + i;
        for (let a = 1; a < extent; a++) {
          const at = (o * extent + a) * inner + i;
          if (input[at]! > input[best]!) best = at;
        }
        out[o * inner + i] = input[best]!;
        argmax[o * inner + i] = best;
      }
    }
  }
  return Tensor.fromOp("max", out, shape, [x], (grad) => {
    const gradX = x.gradBuffer();
    for (let k = 0; k < argmax.length; k++) gradX[argmax[k]!] += grad[k]!;
  });
}
