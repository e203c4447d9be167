// Elementwise kernels and column sums over ranges [begin, end) so a thread can take a share.
// SIMD bodies with scalar tails: both do the same single IEEE operation per element, so the bits agree.
import { exp64, exp64x2 } from "./math";

/** out[i, j] = x[i, j] + v[j] for rows [begin, end) (out may be x). */
export function addRowVector(out: usize, x: usize, v: usize, cols: i32, begin: i32, end: i32): void {
  for (let i = begin; i < end; i++) {
    const offset = (<usize>i * <usize>cols) << 2;
    const row = x + offset;
    const o = out + offset;
    let j = 0;
    for (; j + 4 <= cols; j += 4) {
      const at = <usize>j << 2;
      v128.store(o + at, f32x4.add(v128.load(row + at), v128.load(v + at)));
    }
    for (; j < cols; j++) {
      const at = <usize>j << 2;
      store<f32>(o + at, load<f32>(row + at) + load<f32>(v + at));
    }
  }
}

/** out[i] = e^x[i] for [begin, end): the float64 exp of the float32 value, rounded to float32 once (out may be x). */
export function exp(out: usize, x: usize, begin: i32, end: i32): void {
  let i = begin;
  for (; i + 4 <= end; i += 4) {
    const at = <usize>i << 2;
    const v = v128.load(x + at);
    const low = f32x4.demote_f64x2_zero(exp64x2(f64x2.promote_low_f32x4(v)));
    const high = f32x4.demote_f64x2_zero(exp64x2(f64x2.promote_low_f32x4(i32x4.shuffle(v, v, 2, 3, 0, 1))));
    v128.store(out + at, i32x4.shuffle(low, high, 0, 1, 4, 5));
  }
  for (; i < end; i++) {
    const at = <usize>i << 2;
    store<f32>(out + at, <f32>exp64(<f64>load<f32>(x + at)));
  }
}

/** out[j] (= or +=) Σ_i x[i, j], i ascending from a zero sum, for columns [begin, end). */
export function columnSums(out: usize, x: usize, rows: i32, cols: i32, accumulate: bool, begin: i32, end: i32): void {
  const cB = <usize>cols << 2;
  let j = begin;
  for (; j + 16 <= end; j += 16) {
    let s0 = f32x4.splat(0), s1 = f32x4.splat(0), s2 = f32x4.splat(0), s3 = f32x4.splat(0);
    let p = x + (<usize>j << 2);
    for (let i = 0; i < rows; i++) {
      s0 = f32x4.add(s0, v128.load(p));
      s1 = f32x4.add(s1, v128.load(p, 16));
      s2 = f32x4.add(s2, v128.load(p, 32));
      s3 = f32x4.add(s3, v128.load(p, 48));
      p += cB;
    }
    const o = out + (<usize>j << 2);
    if (accumulate) {
      s0 = f32x4.add(v128.load(o), s0);
      s1 = f32x4.add(v128.load(o, 16), s1);
      s2 = f32x4.add(v128.load(o, 32), s2);
      s3 = f32x4.add(v128.load(o, 48), s3);
    }
    v128.store(o, s0); v128.store(o, s1, 16); v128.store(o, s2, 32); v128.store(o, s3, 48);
  }
  for (; j + 4 <= end; j += 4) {
    let s = f32x4.splat(0);
    let p = x + (<usize>j << 2);
    for (let i = 0; i < rows; i++) {
      s = f32x4.add(s, v128.load(p));
      p += cB;
    }
    const o = out + (<usize>j << 2);
    v128.store(o, accumulate ? f32x4.add(v128.load(o), s) : s);
  }
  for (; j < end; j++) {
    let s: f32 = 0;
    let p = x + (<usize>j << 2);
    for (let i = 0; i < rows; i++) {
      s += load<f32>(p);
      p += cB;
    }
    const o = out + (<usize>j << 2);
    store<f32>(o, accumulate ? load<f32>(o) + s : s);
  }
}

/** out = x > 0 ? x : 0 (NaN and -0 give +0). */
export function relu(out: usize, x: usize, begin: i32, end: i32): void {
  const zero = f32x4.splat(0);
  let i = begin;
  for (; i + 4 <= end; i += 4) {
    const v = v128.load(x + (<usize>i << 2));
    v128.store(out + (<usize>i << 2), v128.and(v, f32x4.gt(v, zero)));
  }
  for (; i < end; i++) {
    const v = load<f32>(x + (<usize>i << 2));
    store<f32>(out + (<usize>i << 2), v > 0 ? v : 0);
  }
}

/** out (= or +=) x > 0 ? grad : 0. */
export function reluBackward(out: usize, x: usize, grad: usize, accumulate: bool, begin: i32, end: i32): void {
  const zero = f32x4.splat(0);
  let i = begin;
  for (; i + 4 <= end; i += 4) {
    const q = <usize>i << 2;
    let g = v128.and(v128.load(grad + q), f32x4.gt(v128.load(x + q), zero));
    if (accumulate) g = f32x4.add(v128.load(out + q), g);
    v128.store(out + q, g);
  }
  for (; i < end; i++) {
    const q = <usize>i << 2;
    const g: f32 = load<f32>(x + q) > 0 ? load<f32>(grad + q) : 0;
    store<f32>(out + q, accumulate ? load<f32>(out + q) + g : g);
  }
}

/**
 * Columns [begin, end) of x, grad, out [rows×cols]: out = x > 0 ? grad : 0 (reluBackward's values)
 * and sums[j] = Σ_i out[i, j] (columnSums' sums: from +0, i ascending), in one pass down the rows.
 */
export function reluBackwardSums(out: usize, x: usize, grad: usize, sums: usize, rows: i32, cols: i32, begin: i32, end: i32): void {
  const cB = <usize>cols << 2;
  const zero = f32x4.splat(0);
  let j = begin;
  for (; j + 16 <= end; j += 16) {
    let s0 = f32x4.splat(0), s1 = f32x4.splat(0), s2 = f32x4.splat(0), s3 = f32x4.splat(0);
    let q = <usize>j << 2;
    for (let i = 0; i < rows; i++) {
      const g0 = v128.and(v128.load(grad + q), f32x4.gt(v128.load(x + q), zero));
      const g1 = v128.and(v128.load(grad + q, 16), f32x4.gt(v128.load(x + q, 16), zero));
      const g2 = v128.and(v128.load(grad + q, 32), f32x4.gt(v128.load(x + q, 32), zero));
      const g3 = v128.and(v128.load(grad + q, 48), f32x4.gt(v128.load(x + q, 48), zero));
      v128.store(out + q, g0); v128.store(out + q, g1, 16); v128.store(out + q, g2, 32); v128.store(out + q, g3, 48);
      s0 = f32x4.add(s0, g0); s1 = f32x4.add(s1, g1); s2 = f32x4.add(s2, g2); s3 = f32x4.add(s3, g3);
      q += cB;
    }
    const o = sums + (<usize>j << 2);
    v128.store(o, s0); v128.store(o, s1, 16); v128.store(o, s2, 32); v128.store(o, s3, 48);
  }
  for (; j + 4 <= end; j += 4) {
    let s = f32x4.splat(0);
    let q = <usize>j << 2;
    for (let i = 0; i < rows; i++) {
      const g = v128.and(v128.load(grad + q), f32x4.gt(v128.load(x + q), zero));
      v128.store(out + q, g);
      s = f32x4.add(s, g);
      q += cB;
    }
    v128.store(sums + (<usize>j << 2), s);
  }
  for (; j < end; j++) {
    let s: f32 = 0;
    let q = <usize>j << 2;
    for (let i = 0; i < rows; i++) {
      const g: f32 = load<f32>(x + q) > 0 ? load<f32>(grad + q) : 0;
      store<f32>(out + q, g);
      s += g;
      q += cB;
    }
    store<f32>(sums + (<usize>j << 2), s);
  }
}

/** y = y + alpha·x (product rounded, then the sum). */
export function axpy(y: usize, x: usize, alpha: f32, begin: i32, end: i32): void {
  const a = f32x4.splat(alpha);
  let i = begin;
  for (; i + 4 <= end; i += 4) {
    const q = <usize>i << 2;
    v128.store(y + q, f32x4.add(v128.load(y + q), f32x4.mul(a, v128.load(x + q))));
  }
  for (; i < end; i++) {
    const q = <usize>i << 2;
    store<f32>(y + q, load<f32>(y + q) + alpha * load<f32>(x + q));
  }
}

/** y = alpha·x + beta·y (each product rounded, then the sum). */
export function axpby(y: usize, x: usize, alpha: f32, beta: f32, begin: i32, end: i32): void {
  const a = f32x4.splat(alpha), c = f32x4.splat(beta);
  let i = begin;
  for (; i + 4 <= end; i += 4) {
    const q = <usize>i << 2;
    v128.store(y + q, f32x4.add(f32x4.mul(a, v128.load(x + q)), f32x4.mul(c, v128.load(y + q))));
  }
  for (; i < end; i++) {
    const q = <usize>i << 2;
    store<f32>(y + q, alpha * load<f32>(x + q) + beta * load<f32>(y + q));
  }
}
