// Building compressed rows (CSR) from dense input, and their column grouping (CSC). Only exact
// nonzeros are stored (x != 0: -0 is dropped, NaN is kept), in row-major order (CSC: by column,
// rows ascending). A nonzero is a pair of words: its f32 value, then its column (CSC: its row)
// times `scale` as a u32 — PANEL_STRIDE, so the products find its panel row without a multiply
// (see spmm.ts), or 1 for dimensions too large for that.
//
// The builds run as tasks over ranges so threads can share them, each writing exactly what the
// whole build would write there: a thread of rows [begin, end) first counts the nonzeros of rows
// [0, begin) (a SIMD popcount, far cheaper than storing them) to know where its rows start.
import { PANEL_STRIDE } from "./spmm";

/**
 * Rows [begin, end) of bytes [rows×cols] mapped through `table` (256 f32, table[0] = 0): writes
 * ptr[r + 1] for those rows (and ptr[0] = 0) and their pairs. With `exact` (table[0] is the
 * table's only zero) every nonzero byte is kept; otherwise a byte whose value is 0 is dropped, and
 * the call must cover all rows (a dropped pair is written, then overwritten by the next).
 */
export function compressBytes(
  bytes: usize, cols: i32, table: usize, exact: bool, ptr: usize, pairs: usize, scale: u32, begin: i32, end: i32,
): void {
  if (exact) bytesRows(true, bytes, cols, table, ptr, pairs, scale, begin, end);
  else bytesRows(false, bytes, cols, table, ptr, pairs, scale, begin, end);
}

/** compressBytes with `exact` a constant, so the exact build appends without testing values. */
@inline
function bytesRows(exact: bool, bytes: usize, cols: i32, table: usize, ptr: usize, pairs: usize, scale: u32, begin: i32, end: i32): void {
  let count = exact ? countBytes(bytes, <usize>begin * <usize>cols) : 0;
  if (begin == 0) store<i32>(ptr, 0);
  for (let r = begin; r < end; r++) {
    const row = bytes + <usize>r * <usize>cols;
    let c = 0;
    // 64 columns per mask: each inner loop's exit is a mispredicted branch, so few long loops.
    for (; c + 64 <= cols; c += 64) {
      let mask = mask64(row + <usize>c);
      while (mask != 0) {
        const col = c + <i32>ctz(mask);
        count = keep(exact, count, <u32>col * scale, load<f32>(table + (<usize>load<u8>(row + <usize>col) << 2)), pairs);
        mask &= mask - 1;
      }
    }
    for (; c + 16 <= cols; c += 16) {
      let mask = i8x16.bitmask(i8x16.ne(v128.load(row + <usize>c), i8x16.splat(0)));
      while (mask != 0) {
        const col = c + ctz(mask);
        count = keep(exact, count, <u32>col * scale, load<f32>(table + (<usize>load<u8>(row + <usize>col) << 2)), pairs);
        mask &= mask - 1;
      }
    }
    for (; c < cols; c++) {
      const byte = load<u8>(row + <usize>c);
      if (byte != 0) count = keep(exact, count, <u32>c * scale, load<f32>(table + (<usize>byte << 2)), pairs);
    }
    store<i32>(ptr + (<usize>(r + 1) << 2), count);
  }
}

/** Bit i set where byte i of the 64 at p is nonzero. */
@inline
function mask64(p: usize): u64 {
  const zero = i8x16.splat(0);
  return <u64>i8x16.bitmask(i8x16.ne(v128.load(p), zero))
    | (<u64>i8x16.bitmask(i8x16.ne(v128.load(p, 16), zero)) << 16)
    | (<u64>i8x16.bitmask(i8x16.ne(v128.load(p, 32), zero)) << 32)
    | (<u64>i8x16.bitmask(i8x16.ne(v128.load(p, 48), zero)) << 48);
}

/** Rows [begin, end) of floats [rows×cols]; same outputs as compressBytes (any range split). */
export function compressFloats(x: usize, cols: i32, ptr: usize, pairs: usize, scale: u32, begin: i32, end: i32): void {
  let count = countFloats(x, <usize>begin * <usize>cols);
  if (begin == 0) store<i32>(ptr, 0);
  const zero = f32x4.splat(0);
  for (let r = begin; r < end; r++) {
    const row = x + ((<usize>r * <usize>cols) << 2);
    let c = 0;
    for (; c + 16 <= cols; c += 16) {
      const q = row + (<usize>c << 2);
      let mask = i32x4.bitmask(f32x4.ne(v128.load(q), zero))
        | (i32x4.bitmask(f32x4.ne(v128.load(q, 16), zero)) << 4)
        | (i32x4.bitmask(f32x4.ne(v128.load(q, 32), zero)) << 8)
        | (i32x4.bitmask(f32x4.ne(v128.load(q, 48), zero)) << 12);
      while (mask != 0) {
        const t = ctz(mask);
        count = keep(true, count, <u32>(c + t) * scale, load<f32>(q + (<usize>t << 2)), pairs);
        mask &= mask - 1;
      }
    }
    for (; c < cols; c++) {
      const v = load<f32>(row + (<usize>c << 2));
      if (v != 0) count = keep(true, count, <u32>c * scale, v, pairs);
    }
    store<i32>(ptr + (<usize>(r + 1) << 2), count);
  }
}

/** Writes the pair (v, offset) at `count` and advances past it unless v is zero (known not if `all`). */
@inline
function keep(all: bool, count: i32, offset: u32, v: f32, pairs: usize): i32 {
  const p = pairs + (<usize>count << 3);
  store<f32>(p, v);
  store<u32>(p, offset, 4);
  return all ? count + 1 : count + i32(v != 0);
}

/** Nonzero bytes among the first `length` at `bytes`. */
function countBytes(bytes: usize, length: usize): i32 {
  let count = 0;
  let i: usize = 0;
  for (; i + 16 <= length; i += 16) count += popcnt(i8x16.bitmask(i8x16.ne(v128.load(bytes + i), i8x16.splat(0))));
  for (; i < length; i++) count += i32(load<u8>(bytes + i) != 0);
  return count;
}

/** Floats != 0 among the first `length` at `x`. */
function countFloats(x: usize, length: usize): i32 {
  let count = 0;
  const zero = f32x4.splat(0);
  let i: usize = 0;
  for (; i + 4 <= length; i += 4) count += popcnt(i32x4.bitmask(f32x4.ne(v128.load(x + (i << 2)), zero)));
  for (; i < length; i++) count += i32(load<f32>(x + (i << 2)) != 0);
  return count;
}

/**
 * Columns [begin, end) of the CSC of bytes [rows×cols] (an `exact` table: every nonzero byte is
 * kept), straight from the bytes: colPtr[c + 1] for those columns (and colPtr[0] = 0), and their
 * pairs (table[byte], row·scale), rows ascending. `next` is scratch for cols i32. A thread first
 * counts the nonzeros left of `begin`, then its columns' counts 16 at a time, then scans its
 * columns 64 at a time down the rows, appending each nonzero to its column.
 */
export function transposeBytes(
  bytes: usize, rows: i32, cols: i32, table: usize, colPtr: usize, pairs: usize, scale: u32, next: usize, begin: i32, end: i32,
): void {
  const stride = <usize>cols;
  let count = 0;
  if (begin > 0) {
    for (let r = 0; r < rows; r++) count += countBytes(bytes + <usize>r * stride, <usize>begin);
  } else store<i32>(colPtr, 0);
  let c = begin;
  for (; c + 16 <= end; c += 16) {
    // Per-lane counts in bytes (−1 per nonzero), moved to 32-bit lanes every 128 rows.
    let n0 = i32x4.splat(0), n1 = i32x4.splat(0), n2 = i32x4.splat(0), n3 = i32x4.splat(0);
    for (let r0 = 0; r0 < rows; r0 += 128) {
      const r1 = min(rows, r0 + 128);
      let acc = i8x16.splat(0);
      for (let r = r0; r < r1; r++) acc = i8x16.add(acc, i8x16.ne(v128.load(bytes + <usize>r * stride + <usize>c), i8x16.splat(0)));
      const lo = i16x8.extend_low_i8x16_s(acc), hi = i16x8.extend_high_i8x16_s(acc);
      n0 = i32x4.sub(n0, i32x4.extend_low_i16x8_s(lo));
      n1 = i32x4.sub(n1, i32x4.extend_high_i16x8_s(lo));
      n2 = i32x4.sub(n2, i32x4.extend_low_i16x8_s(hi));
      n3 = i32x4.sub(n3, i32x4.extend_high_i16x8_s(hi));
    }
    count = startColumn(colPtr, next, c, count, i32x4.extract_lane(n0, 0));
    count = startColumn(colPtr, next, c + 1, count, i32x4.extract_lane(n0, 1));
    count = startColumn(colPtr, next, c + 2, count, i32x4.extract_lane(n0, 2));
    count = startColumn(colPtr, next, c + 3, count, i32x4.extract_lane(n0, 3));
    count = startColumn(colPtr, next, c + 4, count, i32x4.extract_lane(n1, 0));
    count = startColumn(colPtr, next, c + 5, count, i32x4.extract_lane(n1, 1));
    count = startColumn(colPtr, next, c + 6, count, i32x4.extract_lane(n1, 2));
    count = startColumn(colPtr, next, c + 7, count, i32x4.extract_lane(n1, 3));
    count = startColumn(colPtr, next, c + 8, count, i32x4.extract_lane(n2, 0));
    count = startColumn(colPtr, next, c + 9, count, i32x4.extract_lane(n2, 1));
    count = startColumn(colPtr, next, c + 10, count, i32x4.extract_lane(n2, 2));
    count = startColumn(colPtr, next, c + 11, count, i32x4.extract_lane(n2, 3));
    count = startColumn(colPtr, next, c + 12, count, i32x4.extract_lane(n3, 0));
    count = startColumn(colPtr, next, c + 13, count, i32x4.extract_lane(n3, 1));
    count = startColumn(colPtr, next, c + 14, count, i32x4.extract_lane(n3, 2));
    count = startColumn(colPtr, next, c + 15, count, i32x4.extract_lane(n3, 3));
  }
  for (; c < end; c++) {
    let n = 0;
    for (let r = 0; r < rows; r++) n += i32(load<u8>(bytes + <usize>r * stride + <usize>c) != 0);
    count = startColumn(colPtr, next, c, count, n);
  }
  // The fill, 64 columns (a mask per row) at a time; past the matrix's last column the loads run
  // into the next row (or the slack) and are masked off.
  for (c = begin; c < end; c += 64) {
    const valid: u64 = end - c >= 64 ? <u64>-1 : (<u64>1 << <u64>(end - c)) - 1;
    for (let r = 0; r < rows; r++) {
      const at = bytes + <usize>r * stride + <usize>c;
      let mask = mask64(at) & valid;
      const offset = <u32>r * scale;
      while (mask != 0) {
        const t = <i32>ctz(mask);
        const slot = next + (<usize>(c + t) << 2);
        const q = load<i32>(slot);
        store<i32>(slot, q + 1);
        const p = pairs + (<usize>q << 3);
        store<f32>(p, load<f32>(table + (<usize>load<u8>(at + <usize>t) << 2)));
        store<u32>(p, offset, 4);
        mask &= mask - 1;
      }
    }
  }
}

/** Column c starts at `count` and holds n: sets next[c] and colPtr[c + 1]; returns the new count. */
@inline
function startColumn(colPtr: usize, next: usize, c: i32, count: i32, n: i32): i32 {
  store<i32>(next + (<usize>c << 2), count);
  store<i32>(colPtr + (<usize>(c + 1) << 2), count + n);
  return count + n;
}

/**
 * CSC of a CSR matrix [rows×cols] by a counting sort (one thread): column offsets to `colPtr`
 * (cols + 1), pairs (value, row·scaleOut) grouped by column with rows ascending; the CSR's stored
 * offsets are col·scaleIn. `next` is scratch for cols i32.
 */
export function transposeCompressed(
  rows: i32, cols: i32, ptr: usize, pairs: usize, scaleIn: u32,
  colPtr: usize, pairsOut: usize, scaleOut: u32, next: usize,
): void {
  if (scaleIn == PANEL_STRIDE) transposeScaled(PANEL_STRIDE, rows, cols, ptr, pairs, colPtr, pairsOut, scaleOut, next);
  else transposeScaled(1, rows, cols, ptr, pairs, colPtr, pairsOut, scaleOut, next);
}

@inline
function transposeScaled(
  scaleIn: u32, rows: i32, cols: i32, ptr: usize, pairs: usize,
  colPtr: usize, pairsOut: usize, scaleOut: u32, next: usize,
): void {
  memory.fill(colPtr, 0, (<usize>cols + 1) << 2);
  const count = load<i32>(ptr + (<usize>rows << 2));
  for (let p = 0; p < count; p++) {
    const q = colPtr + ((<usize>(load<u32>(pairs + (<usize>p << 3), 4) / scaleIn) + 1) << 2);
    store<i32>(q, load<i32>(q) + 1);
  }
  let sum = 0;
  for (let c = 0; c < cols; c++) {
    sum += load<i32>(colPtr + ((<usize>c + 1) << 2));
    store<i32>(colPtr + ((<usize>c + 1) << 2), sum);
    store<i32>(next + (<usize>c << 2), load<i32>(colPtr + (<usize>c << 2)));
  }
  for (let r = 0; r < rows; r++) {
    const end = load<i32>(ptr + (<usize>(r + 1) << 2));
    const offset = <u32>r * scaleOut;
    for (let p = load<i32>(ptr + (<usize>r << 2)); p < end; p++) {
      const src = pairs + (<usize>p << 3);
      const slot = next + (<usize>(load<u32>(src, 4) / scaleIn) << 2);
      const q = load<i32>(slot);
      store<i32>(slot, q + 1);
      const dst = pairsOut + (<usize>q << 3);
      store<f32>(dst, load<f32>(src));
      store<u32>(dst, offset, 4);
    }
  }
}
