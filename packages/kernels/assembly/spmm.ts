// Compressed rows × dense: out[i, j] = Σ_p value[p]·b[col[p], j] over row i's stored nonzeros p in
// ascending order, from a zero accumulator, product then sum rounded to f32 per step. With CSR
// this is X·b; with the CSC of X (rows ascending within a column) the same loops give Xᵀ·d.
// A nonzero is a pair (f32 value, u32 col·scale) — see compress.ts; scale is PANEL_STRIDE unless
// the dimension is too large for that (then 1, and only the row kernel runs).
//
// Panels (the fast path): b's columns are cut into panels of up to 7 vectors (28 floats), each
// copied to scratch as K rows of PANEL_STRIDE bytes, so a nonzero's slice of a panel sits at the
// panel + its stored offset. b's own rows are n·4 bytes apart: at n = 256 that stride sends every
// row's slice of a column block to 4 of the 64 L1 sets, which thrash; a panel's rows are
// contiguous. A thread packs its panels, then runs its output rows through each (see spmmPanels).
// 7 accumulators is the most that fits: V8 issues a step's 7 b loads before its arithmetic,
// and 7 loads + 7 accumulators + the splat take 15 of the 16 xmm registers (V8 keeps one). The
// loop is load-bound (≈ 2 loads a cycle here), so a pair is one 64-bit load (its value goes to a
// vector by a move, not a second load), and 3 nonzeros per trip share its stack check.
import { finish, mulAdd, storeLanes } from "./lanes";

/** Bytes per panel row (7 vectors); the scale of stored offsets. */
export const PANEL_STRIDE: u32 = 112;
/** Bytes per plan entry: first column, vectors (1–7), lanes of the last vector (1–4). */
export const PLAN_ENTRY: usize = 12;
/** Bytes per share entry: first and end panel, first and end row, first scratch slot. */
export const SHARE_ENTRY: usize = 20;

/**
 * Shares [begin, end) of `shares` (a thread takes one): share s covers plan panels [p0, p1) for
 * rows [r0, r1) (`ptr` has a pair index per row and one more); it packs its panels from b [K×n]
 * into scratch slots from `slot` on (K·PANEL_STRIDE bytes each), then computes those panels' columns
 * of out for its rows. Threads split the columns (each runs all rows) or the rows (each packs all
 * panels into its own slots), as the caller plans. The next panel is packed a few b rows after each
 * output row, so its loads (b is rarely in this core's caches) overlap the load-bound products
 * instead of stalling in a pass of their own.
 */
export function spmmPanels(
  out: usize, ptr: usize, pairs: usize, b: usize, n: i32, k: i32, accumulate: bool,
  plan: usize, shares: usize, scratch: usize, bias: usize, activated: usize, begin: i32, end: i32,
): void {
  const nB = <usize>n << 2;
  const panelBytes = <usize>k * PANEL_STRIDE;
  for (let s = begin; s < end; s++) {
    const share = shares + <usize>s * SHARE_ENTRY;
    const p0 = load<i32>(share), p1 = load<i32>(share, 4);
    const r0 = load<i32>(share, 8), r1 = load<i32>(share, 12);
    if (p0 >= p1 || r0 >= r1) continue;
    let base = scratch + <usize>load<i32>(share, 16) * panelBytes;
    pack(plan + <usize>p0 * PLAN_ENTRY, base, b, nB, 0, k);
    if (accumulate) panels(true, out, ptr, pairs, b, nB, k, plan, base, panelBytes, p0, p1, r0, r1, bias, activated);
    else panels(false, out, ptr, pairs, b, nB, k, plan, base, panelBytes, p0, p1, r0, r1, bias, activated);
  }
}

/** Panels [p0, p1) of the plan, packed from `base` on, for rows [r0, r1); `accumulate` is a constant. */
@inline
function panels(
  accumulate: bool, out: usize, ptr: usize, pairs: usize, b: usize, nB: usize, k: i32,
  plan: usize, base: usize, panelBytes: usize, p0: i32, p1: i32, r0: i32, r1: i32, bias: usize, activated: usize,
): void {
  for (let e = p0; e < p1; e++) {
    const entry = plan + <usize>e * PLAN_ENTRY;
    const column = <usize>load<i32>(entry) << 2;
    const po = out + column;
    // The epilogue's arrays at this panel's first column (bias) and at out's offset (activated).
    const pBias = bias == 0 ? 0 : bias + column;
    const pActivated = activated == 0 ? 0 : activated + column;
    const vectors = load<i32>(entry, 4);
    const lanes = load<i32>(entry, 8);
    const next = e + 1 < p1 ? entry + PLAN_ENTRY : 0;
    if (vectors == 7) panelRows(7, accumulate, po, ptr, pairs, base, nB, r0, r1, lanes, next, base + panelBytes, b, k, pBias, pActivated);
    else if (vectors == 6) panelRows(6, accumulate, po, ptr, pairs, base, nB, r0, r1, lanes, next, base + panelBytes, b, k, pBias, pActivated);
    else if (vectors == 5) panelRows(5, accumulate, po, ptr, pairs, base, nB, r0, r1, lanes, next, base + panelBytes, b, k, pBias, pActivated);
    else if (vectors == 4) panelRows(4, accumulate, po, ptr, pairs, base, nB, r0, r1, lanes, next, base + panelBytes, b, k, pBias, pActivated);
    else if (vectors == 3) panelRows(3, accumulate, po, ptr, pairs, base, nB, r0, r1, lanes, next, base + panelBytes, b, k, pBias, pActivated);
    else if (vectors == 2) panelRows(2, accumulate, po, ptr, pairs, base, nB, r0, r1, lanes, next, base + panelBytes, b, k, pBias, pActivated);
    else panelRows(1, accumulate, po, ptr, pairs, base, nB, r0, r1, lanes, next, base + panelBytes, b, k, pBias, pActivated);
    base += panelBytes;
  }
}

/**
 * Stores a finished vector r of out at o + at (its first `lanes`) through the epilogue: with a bias
 * (pBias ≠ 0, at the panel's first column) r + bias is stored instead, one f32 sum as addRowVector
 * adds it; with pActivated ≠ 0 (this row's place in `activated`) relu of what was stored goes there
 * too, as the relu kernel writes it (x > 0 ? x : 0, so NaN → 0).
 */
@inline
function emit(o: usize, at: usize, r: v128, lanes: i32, pBias: usize, pActivated: usize): void {
  const value = pBias == 0 ? r : f32x4.add(r, v128.load(pBias + at));
  if (lanes == 4) v128.store(o + at, value);
  else storeLanes(o + at, value, lanes);
  if (pActivated != 0) {
    const h = v128.and(value, f32x4.gt(value, f32x4.splat(0)));
    if (lanes == 4) v128.store(pActivated + at, h);
    else storeLanes(pActivated + at, h, lanes);
  }
}

/** Copies rows [r0, r1) of the panel at plan `entry` from b into `slot`; lanes past n are zeroed. */
function pack(entry: usize, slot: usize, b: usize, nB: usize, r0: i32, r1: i32): void {
  const full = load<i32>(entry, 4) - 1;
  const lanes = load<i32>(entry, 8);
  let src = b + <usize>r0 * nB + (<usize>load<i32>(entry) << 2);
  let dst = slot + <usize>r0 * PANEL_STRIDE;
  for (let r = r0; r < r1; r++) {
    for (let v = 0; v < full; v++) v128.store(dst + (<usize>v << 4), v128.load(src + (<usize>v << 4)));
    const s = src + (<usize>full << 4);
    const d = dst + (<usize>full << 4);
    if (lanes == 4) v128.store(d, v128.load(s));
    else {
      v128.store(d, f32x4.splat(0));
      for (let l = 0; l < lanes; l++) store<f32>(d + (<usize>l << 2), load<f32>(s + (<usize>l << 2)));
    }
    src += nB;
    dst += PANEL_STRIDE;
  }
}

/**
 * Rows [r0, r1) through one panel of V vectors (V is a constant at each call, so the guards fold). Each
 * step is written out: AssemblyScript cannot pass the 7 accumulators to a helper by reference.
 */
@inline
function panelRows(
  V: i32, accumulate: bool, po: usize, ptr: usize, pairs: usize, base: usize, nB: usize, r0: i32, r1: i32, lanes: i32,
  next: usize, nextSlot: usize, b: usize, k: i32, pBias: usize, pActivated: usize,
): void {
  // The next panel's rows [packed, upTo) follow output row i, upTo = (i + 1 − r0)·k / (r1 − r0).
  const span = r1 - r0;
  const step = k / span, rest = k % span;
  let packed = 0, upTo = 0, carry = 0;
  for (let i = r0; i < r1; i++) {
    const q0 = pairs + (<usize>load<i32>(ptr + (<usize>i << 2)) << 3);
    const q1 = pairs + (<usize>load<i32>(ptr + (<usize>i << 2), 4) << 3);
    let c0 = f32x4.splat(0), c1 = f32x4.splat(0), c2 = f32x4.splat(0), c3 = f32x4.splat(0);
    let c4 = f32x4.splat(0), c5 = f32x4.splat(0), c6 = f32x4.splat(0);
    for (let q = q0; q < q1; q += 24) {
      let w = load<u64>(q);
      let x = f32x4.splat(reinterpret<f32>(<u32>w));
      let pb = base + <usize>(<u32>(w >> 32));
      c0 = mulAdd(c0, x, v128.load(pb));
      if (V > 1) c1 = mulAdd(c1, x, v128.load(pb, 16));
      if (V > 2) c2 = mulAdd(c2, x, v128.load(pb, 32));
      if (V > 3) c3 = mulAdd(c3, x, v128.load(pb, 48));
      if (V > 4) c4 = mulAdd(c4, x, v128.load(pb, 64));
      if (V > 5) c5 = mulAdd(c5, x, v128.load(pb, 80));
      if (V > 6) c6 = mulAdd(c6, x, v128.load(pb, 96));
      if (q + 8 >= q1) break;
      w = load<u64>(q, 8);
      x = f32x4.splat(reinterpret<f32>(<u32>w));
      pb = base + <usize>(<u32>(w >> 32));
      c0 = mulAdd(c0, x, v128.load(pb));
      if (V > 1) c1 = mulAdd(c1, x, v128.load(pb, 16));
      if (V > 2) c2 = mulAdd(c2, x, v128.load(pb, 32));
      if (V > 3) c3 = mulAdd(c3, x, v128.load(pb, 48));
      if (V > 4) c4 = mulAdd(c4, x, v128.load(pb, 64));
      if (V > 5) c5 = mulAdd(c5, x, v128.load(pb, 80));
      if (V > 6) c6 = mulAdd(c6, x, v128.load(pb, 96));
      if (q + 16 >= q1) break;
      w = load<u64>(q, 16);
      x = f32x4.splat(reinterpret<f32>(<u32>w));
      pb = base + <usize>(<u32>(w >> 32));
      c0 = mulAdd(c0, x, v128.load(pb));
      if (V > 1) c1 = mulAdd(c1, x, v128.load(pb, 16));
      if (V > 2) c2 = mulAdd(c2, x, v128.load(pb, 32));
      if (V > 3) c3 = mulAdd(c3, x, v128.load(pb, 48));
      if (V > 4) c4 = mulAdd(c4, x, v128.load(pb, 64));
      if (V > 5) c5 = mulAdd(c5, x, v128.load(pb, 80));
      if (V > 6) c6 = mulAdd(c6, x, v128.load(pb, 96));
    }
    const rowOffset = <usize>i * nB;
    const o = po + rowOffset;
    const a = pActivated == 0 ? 0 : pActivated + rowOffset;
    // Full vectors, then the last one (V - 1), whose lanes past n are dropped.
    if (V > 1) emit(o, 0, finish(o, c0, accumulate), 4, pBias, a);
    if (V > 2) emit(o, 16, finish(o + 16, c1, accumulate), 4, pBias, a);
    if (V > 3) emit(o, 32, finish(o + 32, c2, accumulate), 4, pBias, a);
    if (V > 4) emit(o, 48, finish(o + 48, c3, accumulate), 4, pBias, a);
    if (V > 5) emit(o, 64, finish(o + 64, c4, accumulate), 4, pBias, a);
    if (V > 6) emit(o, 80, finish(o + 80, c5, accumulate), 4, pBias, a);
    const lastAt = <usize>(V - 1) << 4;
    const c = V == 7 ? c6 : V == 6 ? c5 : V == 5 ? c4 : V == 4 ? c3 : V == 3 ? c2 : V == 2 ? c1 : c0;
    emit(o, lastAt, finish(o + lastAt, c, accumulate), lanes, pBias, a);
    upTo += step;
    carry += rest;
    if (carry >= span) {
      upTo++;
      carry -= span;
    }
    if (next != 0 && upTo > packed) {
      pack(next, nextSlot, b, nB, packed, upTo);
      packed = upTo;
    }
  }
}

/**
 * The row kernel, for matrices too sparse to pay for packing b: rows [begin, end), reading b in
 * place (`ptr` has rows + 1 pair indices; stored offsets are col·scale, scale PANEL_STRIDE or 1).
 * Column blocks of 16 (4 accumulators, two nonzeros per iteration), then blocks of 4.
 */
export function spmmRows(
  out: usize, ptr: usize, pairs: usize, b: usize, n: i32, accumulate: bool, scale: u32, begin: i32, end: i32,
): void {
  if (scale == PANEL_STRIDE) rowsScaled(PANEL_STRIDE, out, ptr, pairs, b, n, accumulate, begin, end);
  else rowsScaled(1, out, ptr, pairs, b, n, accumulate, begin, end);
}

@inline
function rowsScaled(scale: u32, out: usize, ptr: usize, pairs: usize, b: usize, n: i32, accumulate: bool, begin: i32, end: i32): void {
  const nB = <usize>n << 2;
  for (let i = begin; i < end; i++) {
    const q0 = pairs + (<usize>load<i32>(ptr + (<usize>i << 2)) << 3);
    const q1 = pairs + (<usize>load<i32>(ptr + (<usize>i << 2), 4) << 3);
    const po = out + <usize>i * nB;
    let j = 0;
    for (; j + 16 <= n; j += 16) block16(scale, po + (<usize>j << 2), q0, q1, b + (<usize>j << 2), nB, accumulate);
    for (; j < n; j += 4) block4(scale, po + (<usize>j << 2), q0, q1, b + (<usize>j << 2), nB, accumulate, n - j);
  }
}

@inline
function rowOf(scale: u32, q: usize, at: usize): usize {
  return <usize>(load<u32>(q + at, 4) / scale);
}

@inline
function block16(scale: u32, po: usize, q0: usize, q1: usize, bj: usize, nB: usize, accumulate: bool): void {
  let c0 = f32x4.splat(0), c1 = f32x4.splat(0), c2 = f32x4.splat(0), c3 = f32x4.splat(0);
  let q = q0;
  for (; q + 16 <= q1; q += 16) {
    const x = v128.load32_splat(q);
    const y = v128.load32_splat(q, 8);
    const pb = bj + rowOf(scale, q, 0) * nB;
    const qb = bj + rowOf(scale, q, 8) * nB;
    c0 = mulAdd(c0, x, v128.load(pb));
    c1 = mulAdd(c1, x, v128.load(pb, 16));
    c2 = mulAdd(c2, x, v128.load(pb, 32));
    c3 = mulAdd(c3, x, v128.load(pb, 48));
    c0 = mulAdd(c0, y, v128.load(qb));
    c1 = mulAdd(c1, y, v128.load(qb, 16));
    c2 = mulAdd(c2, y, v128.load(qb, 32));
    c3 = mulAdd(c3, y, v128.load(qb, 48));
  }
  if (q < q1) {
    const x = v128.load32_splat(q);
    const pb = bj + rowOf(scale, q, 0) * nB;
    c0 = mulAdd(c0, x, v128.load(pb));
    c1 = mulAdd(c1, x, v128.load(pb, 16));
    c2 = mulAdd(c2, x, v128.load(pb, 32));
    c3 = mulAdd(c3, x, v128.load(pb, 48));
  }
  v128.store(po, finish(po, c0, accumulate));
  v128.store(po + 16, finish(po + 16, c1, accumulate));
  v128.store(po + 32, finish(po + 32, c2, accumulate));
  v128.store(po + 48, finish(po + 48, c3, accumulate));
}

/** `lanes` (1–4) columns; lanes past the row's end compute on neighbouring data and are dropped. */
@inline
function block4(scale: u32, po: usize, q0: usize, q1: usize, bj: usize, nB: usize, accumulate: bool, lanes: i32): void {
  let c0 = f32x4.splat(0);
  for (let q = q0; q < q1; q += 8) {
    const pb = bj + rowOf(scale, q, 0) * nB;
    c0 = mulAdd(c0, v128.load32_splat(q), v128.load(pb));
  }
  storeLanes(po, finish(po, c0, accumulate), lanes);
}
