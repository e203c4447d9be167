// Dense products out[i, j] = Σ_k a(i, k)·b[k, j], k ascending from a zero accumulator, product then
// sum rounded to f32 per step: each output element sees exactly the scalar reference's operations,
// so the bits match it whatever the tile, tail or thread that computes it.
// a(i, k) lives at a + i·rowStride + k·kStride (bytes): a row-major [m×k] a has (k·4, 4); an [k×m]
// a read transposed has (4, m·4). b is row-major [k×n]; out is row-major [m×n].
import { finish, mulAdd, storeLanes } from "./lanes";

/** Rows [begin, end) of the product: 4×8 register tiles, 4×4 and partial-lane tiles for column tails. */
export function gemmRows(
  out: usize, a: usize, rowStride: usize, kStride: usize, b: usize,
  k: i32, n: i32, accumulate: bool, begin: i32, end: i32,
): void {
  const nB = <usize>n << 2;
  let i = begin;
  for (; i + 4 <= end; i += 4) {
    const pa = a + <usize>i * rowStride;
    const po = out + <usize>i * nB;
    let j = 0;
    for (; j + 8 <= n; j += 8) tile4x8(po + (<usize>j << 2), pa, rowStride, kStride, b + (<usize>j << 2), nB, k, accumulate);
    for (; j < n; j += 4) tile4x4(po + (<usize>j << 2), pa, rowStride, kStride, b + (<usize>j << 2), nB, k, accumulate, n - j);
  }
  for (; i < end; i++) {
    const pa = a + <usize>i * rowStride;
    const po = out + <usize>i * nB;
    let j = 0;
    for (; j + 8 <= n; j += 8) tile1x8(po + (<usize>j << 2), pa, kStride, b + (<usize>j << 2), nB, k, accumulate);
    for (; j < n; j += 4) tile1x4(po + (<usize>j << 2), pa, kStride, b + (<usize>j << 2), nB, k, accumulate, n - j);
  }
}

@inline
function tile4x8(po: usize, pa: usize, rs: usize, ks: usize, pb: usize, nB: usize, k: i32, accumulate: bool): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0), c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  const rs2 = rs + rs, rs3 = rs2 + rs;
  for (let kk = 0; kk < k; kk++) {
    const b0 = v128.load(pb), b1 = v128.load(pb, 16);
    let x = v128.load32_splat(pa);
    c00 = mulAdd(c00, x, b0); c01 = mulAdd(c01, x, b1);
    x = v128.load32_splat(pa + rs);
    c10 = mulAdd(c10, x, b0); c11 = mulAdd(c11, x, b1);
    x = v128.load32_splat(pa + rs2);
    c20 = mulAdd(c20, x, b0); c21 = mulAdd(c21, x, b1);
    x = v128.load32_splat(pa + rs3);
    c30 = mulAdd(c30, x, b0); c31 = mulAdd(c31, x, b1);
    pa += ks;
    pb += nB;
  }
  v128.store(po, finish(po, c00, accumulate)); v128.store(po + 16, finish(po + 16, c01, accumulate));
  po += nB;
  v128.store(po, finish(po, c10, accumulate)); v128.store(po + 16, finish(po + 16, c11, accumulate));
  po += nB;
  v128.store(po, finish(po, c20, accumulate)); v128.store(po + 16, finish(po + 16, c21, accumulate));
  po += nB;
  v128.store(po, finish(po, c30, accumulate)); v128.store(po + 16, finish(po + 16, c31, accumulate));
}

/** 4 rows × `lanes` (1–4) columns; lanes past the row's end compute on neighbouring data and are dropped. */
@inline
function tile4x4(po: usize, pa: usize, rs: usize, ks: usize, pb: usize, nB: usize, k: i32, accumulate: bool, lanes: i32): void {
  let c0 = f32x4.splat(0), c1 = f32x4.splat(0), c2 = f32x4.splat(0), c3 = f32x4.splat(0);
  const rs2 = rs + rs, rs3 = rs2 + rs;
  for (let kk = 0; kk < k; kk++) {
    const b0 = v128.load(pb);
    c0 = mulAdd(c0, v128.load32_splat(pa), b0);
    c1 = mulAdd(c1, v128.load32_splat(pa + rs), b0);
    c2 = mulAdd(c2, v128.load32_splat(pa + rs2), b0);
    c3 = mulAdd(c3, v128.load32_splat(pa + rs3), b0);
    pa += ks;
    pb += nB;
  }
  storeLanes(po, finish(po, c0, accumulate), lanes);
  po += nB;
  storeLanes(po, finish(po, c1, accumulate), lanes);
  po += nB;
  storeLanes(po, finish(po, c2, accumulate), lanes);
  po += nB;
  storeLanes(po, finish(po, c3, accumulate), lanes);
}

@inline
function tile1x8(po: usize, pa: usize, ks: usize, pb: usize, nB: usize, k: i32, accumulate: bool): void {
  let c0 = f32x4.splat(0), c1 = f32x4.splat(0);
  for (let kk = 0; kk < k; kk++) {
    const x = v128.load32_splat(pa);
    c0 = mulAdd(c0, x, v128.load(pb));
    c1 = mulAdd(c1, x, v128.load(pb, 16));
    pa += ks;
    pb += nB;
  }
  v128.store(po, finish(po, c0, accumulate));
  v128.store(po + 16, finish(po + 16, c1, accumulate));
}

@inline
function tile1x4(po: usize, pa: usize, ks: usize, pb: usize, nB: usize, k: i32, accumulate: bool, lanes: i32): void {
  let c0 = f32x4.splat(0);
  for (let kk = 0; kk < k; kk++) {
    c0 = mulAdd(c0, v128.load32_splat(pa), v128.load(pb));
    pa += ks;
    pb += nB;
  }
  storeLanes(po, finish(po, c0, accumulate), lanes);
}

/** dst[c, r] = src[r, c] for a row-major src [rows×cols] (dst is [cols×rows]); 4×4 blocks by shuffles. */
export function transpose(dst: usize, src: usize, rows: i32, cols: i32): void {
  const rB = <usize>rows << 2, cB = <usize>cols << 2;
  let r = 0;
  for (; r + 4 <= rows; r += 4) {
    const s = src + <usize>r * cB, d = dst + (<usize>r << 2);
    let c = 0;
    for (; c + 4 <= cols; c += 4) {
      const s0 = s + (<usize>c << 2);
      const x0 = v128.load(s0), x1 = v128.load(s0 + cB), x2 = v128.load(s0 + 2 * cB), x3 = v128.load(s0 + 3 * cB);
      const t0 = i32x4.shuffle(x0, x1, 0, 4, 1, 5), t1 = i32x4.shuffle(x2, x3, 0, 4, 1, 5);
      const t2 = i32x4.shuffle(x0, x1, 2, 6, 3, 7), t3 = i32x4.shuffle(x2, x3, 2, 6, 3, 7);
      const d0 = d + <usize>c * rB;
      v128.store(d0, i64x2.shuffle(t0, t1, 0, 2));
      v128.store(d0 + rB, i64x2.shuffle(t0, t1, 1, 3));
      v128.store(d0 + 2 * rB, i64x2.shuffle(t2, t3, 0, 2));
      v128.store(d0 + 3 * rB, i64x2.shuffle(t2, t3, 1, 3));
    }
    for (; c < cols; c++) {
      for (let q = 0; q < 4; q++) store<f32>(d + <usize>c * rB + (<usize>q << 2), load<f32>(s + <usize>q * cB + (<usize>c << 2)));
    }
  }
  for (; r < rows; r++) {
    for (let c = 0; c < cols; c++) store<f32>(dst + <usize>c * rB + (<usize>r << 2), load<f32>(src + <usize>r * cB + (<usize>c << 2)));
  }
}
