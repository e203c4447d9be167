// Per-row kernels for small reductions and broadcasts along a matrix's last axis (a loss over a
// batch's classes: [rows × classes]). Each computes exactly what the JavaScript loop it replaces
// computes on float32 arrays: a single operation rounded once to f32, or float64 arithmetic (as
// JavaScript's numbers) rounded to f32 only where the loop stores it.

/** Ops of columnOp: out[r, j] = x[r, j] (op) c[r]. */
export const COLUMN_ADD: i32 = 0;
export const COLUMN_SUB: i32 = 1;
export const COLUMN_MUL: i32 = 2;

/** Rows [begin, end) of out = x (op) c broadcast along each row, one f32 operation per element (out may be x). */
export function columnOp(out: usize, x: usize, c: usize, cols: i32, op: i32, begin: i32, end: i32): void {
  if (op == COLUMN_ADD) columnRows(COLUMN_ADD, out, x, c, cols, begin, end);
  else if (op == COLUMN_SUB) columnRows(COLUMN_SUB, out, x, c, cols, begin, end);
  else columnRows(COLUMN_MUL, out, x, c, cols, begin, end);
}

@inline
function combine4(op: i32, a: v128, b: v128): v128 {
  return op == COLUMN_ADD ? f32x4.add(a, b) : op == COLUMN_SUB ? f32x4.sub(a, b) : f32x4.mul(a, b);
}

@inline
function combine1(op: i32, a: f32, b: f32): f32 {
  return op == COLUMN_ADD ? a + b : op == COLUMN_SUB ? a - b : a * b;
}

@inline
function columnRows(op: i32, out: usize, x: usize, c: usize, cols: i32, begin: i32, end: i32): void {
  for (let r = begin; r < end; r++) {
    const at = (<usize>r * <usize>cols) << 2;
    const value = load<f32>(c + (<usize>r << 2));
    const splat = f32x4.splat(value);
    let j = 0;
    for (; j + 4 <= cols; j += 4) {
      const q = at + (<usize>j << 2);
      v128.store(out + q, combine4(op, v128.load(x + q), splat));
    }
    for (; j < cols; j++) {
      const q = at + (<usize>j << 2);
      store<f32>(out + q, combine1(op, load<f32>(x + q), value));
    }
  }
}

/** Modes of rowSums: what is done with each row's float64 sum s. */
export const ROW_SUMS_STORE: i32 = 0; // out[r] = f32(s)
export const ROW_SUMS_ADD: i32 = 1; // out[r] = f32(out[r] + s), the sum in float64
export const ROW_SUMS_SUBTRACT: i32 = 2; // out[r] = out[r] − f32(s), in float32

/** Rows [begin, end): s = Σ_j x[r, j] in float64 from +0, j ascending, then `mode`. */
export function rowSums(out: usize, x: usize, cols: i32, mode: i32, begin: i32, end: i32): void {
  for (let r = begin; r < end; r++) {
    let s: f64 = 0;
    const row = x + ((<usize>r * <usize>cols) << 2);
    for (let j = 0; j < cols; j++) s += <f64>load<f32>(row + (<usize>j << 2));
    const o = out + (<usize>r << 2);
    if (mode == ROW_SUMS_STORE) store<f32>(o, <f32>s);
    else if (mode == ROW_SUMS_ADD) store<f32>(o, <f32>(<f64>load<f32>(o) + s));
    else store<f32>(o, load<f32>(o) - <f32>s);
  }
}

/**
 * Rows [begin, end): out[r] = the largest x[r, j] and index[r] = r·cols + its j (as f32), the first
 * on ties; an element replaces the best only when greater, so a NaN first element stays, and a
 * later NaN is never taken (JavaScript's `value > best`).
 */
export function rowMax(out: usize, index: usize, x: usize, cols: i32, begin: i32, end: i32): void {
  for (let r = begin; r < end; r++) {
    const start = r * cols;
    const row = x + (<usize>start << 2);
    let best = 0;
    let bestValue = load<f32>(row);
    for (let j = 1; j < cols; j++) {
      const value = load<f32>(row + (<usize>j << 2));
      const greater = value > bestValue;
      best = select<i32>(j, best, greater);
      bestValue = select<f32>(value, bestValue, greater);
    }
    store<f32>(out + (<usize>r << 2), bestValue);
    store<f32>(index + (<usize>r << 2), <f32>(start + best));
  }
}

/** [begin, end) of y = f32(y + a·b), the product and the sum in float64 (JavaScript's `y[i] += a[i] * b[i]`). */
export function addProducts(y: usize, a: usize, b: usize, begin: i32, end: i32): void {
  let i = begin;
  for (; i + 2 <= end; i += 2) {
    const q = <usize>i << 2;
    const sum = f64x2.add(f64x2.promote_low_f32x4(v128.load64_zero(y + q)), f64x2.mul(f64x2.promote_low_f32x4(v128.load64_zero(a + q)), f64x2.promote_low_f32x4(v128.load64_zero(b + q))));
    v128.store64_lane(y + q, f32x4.demote_f64x2_zero(sum), 0);
  }
  for (; i < end; i++) {
    const q = <usize>i << 2;
    store<f32>(y + q, <f32>(<f64>load<f32>(y + q) + <f64>load<f32>(a + q) * <f64>load<f32>(b + q)));
  }
}
