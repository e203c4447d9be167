// Xᵀ·d for a narrow d, straight from the CSR: out[c, :] (= or +=) Σ_r x[r, c]·d[r, :] over the rows
// r that store column c, r ascending, from a zero accumulator, product then sum rounded to f32 —
// the same sums in the same order as the CSC products (spmm.ts), so the same bytes, without
// building the CSC. For n ≤ 28 (one panel: the linear model's 10 classes) the accumulators of
// every column fit a scratch of K rows of PANEL_STRIDE bytes, which the stored offsets
// (col·PANEL_STRIDE) address directly; each row of d is loaded once into registers. One thread:
// every out element sums over all rows in order, so no split of the rows keeps its bytes.
import { PANEL_STRIDE } from "./spmm";

/** out [k×n] from rows [0, rows) of X (`ptr`: rows + 1 pair indices) and d [rows×n]; `work` holds k·PANEL_STRIDE bytes. */
export function scatterTransA(out: usize, ptr: usize, pairs: usize, d: usize, n: i32, k: i32, accumulate: bool, work: usize, rows: i32): void {
  memory.fill(work, 0, <usize>k * PANEL_STRIDE);
  const vectors = (n + 3) >> 2;
  if (vectors == 7) scatterRows(7, ptr, pairs, d, n, work, rows);
  else if (vectors == 6) scatterRows(6, ptr, pairs, d, n, work, rows);
  else if (vectors == 5) scatterRows(5, ptr, pairs, d, n, work, rows);
  else if (vectors == 4) scatterRows(4, ptr, pairs, d, n, work, rows);
  else if (vectors == 3) scatterRows(3, ptr, pairs, d, n, work, rows);
  else if (vectors == 2) scatterRows(2, ptr, pairs, d, n, work, rows);
  else scatterRows(1, ptr, pairs, d, n, work, rows);
  // out = sums (or out + sums): the whole sum first, then added, as the CSC products finish.
  const nB = <usize>n << 2;
  for (let c = 0; c < k; c++) {
    const src = work + <usize>c * PANEL_STRIDE;
    const dst = out + <usize>c * nB;
    for (let j = 0; j < n; j++) {
      const sum = load<f32>(src + (<usize>j << 2));
      store<f32>(dst + (<usize>j << 2), accumulate ? load<f32>(dst + (<usize>j << 2)) + sum : sum);
    }
  }
}

/** Row r's d[r, 0..n) as a vector of lanes [4v, 4v + 4), lanes past n zero (never read past the row). */
@inline
function rowVector(dr: usize, v: i32, n: i32): v128 {
  const first = v << 2;
  if (first + 4 <= n) return v128.load(dr + (<usize>first << 2));
  let lanes = f32x4.splat(0);
  lanes = f32x4.replace_lane(lanes, 0, load<f32>(dr + (<usize>first << 2)));
  if (first + 1 < n) lanes = f32x4.replace_lane(lanes, 1, load<f32>(dr + (<usize>(first + 1) << 2)));
  if (first + 2 < n) lanes = f32x4.replace_lane(lanes, 2, load<f32>(dr + (<usize>(first + 2) << 2)));
  return lanes;
}

/** acc at p ← acc + x·y (product rounded, then the sum). */
@inline
function addProduct(p: usize, x: v128, y: v128): void {
  v128.store(p, f32x4.add(v128.load(p), f32x4.mul(x, y)));
}

/** Every row's nonzeros into the accumulators; V (1–7) vectors per row is a constant at each call. */
@inline
function scatterRows(V: i32, ptr: usize, pairs: usize, d: usize, n: i32, work: usize, rows: i32): void {
  const nB = <usize>n << 2;
  for (let r = 0; r < rows; r++) {
    const dr = d + <usize>r * nB;
    const d0 = rowVector(dr, 0, n);
    const d1 = V > 1 ? rowVector(dr, 1, n) : d0;
    const d2 = V > 2 ? rowVector(dr, 2, n) : d0;
    const d3 = V > 3 ? rowVector(dr, 3, n) : d0;
    const d4 = V > 4 ? rowVector(dr, 4, n) : d0;
    const d5 = V > 5 ? rowVector(dr, 5, n) : d0;
    const d6 = V > 6 ? rowVector(dr, 6, n) : d0;
    const q1 = pairs + (<usize>load<i32>(ptr + (<usize>r << 2), 4) << 3);
    for (let q = pairs + (<usize>load<i32>(ptr + (<usize>r << 2)) << 3); q < q1; q += 8) {
      const w = load<u64>(q);
      const x = f32x4.splat(reinterpret<f32>(<u32>w));
      const p = work + <usize>(<u32>(w >> 32));
      addProduct(p, x, d0);
      if (V > 1) addProduct(p + 16, x, d1);
      if (V > 2) addProduct(p + 32, x, d2);
      if (V > 3) addProduct(p + 48, x, d3);
      if (V > 4) addProduct(p + 64, x, d4);
      if (V > 5) addProduct(p + 80, x, d5);
      if (V > 6) addProduct(p + 96, x, d6);
    }
  }
}
