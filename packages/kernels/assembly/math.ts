// exp and log in float64 without tables (the module keeps no static data in the shared memory):
// a range reduction and a polynomial each, accurate to about one unit in the last place of a double.

const LN2_HI: f64 = 6.93147180369123816490e-01;
const LN2_LO: f64 = 1.90821492927058770002e-10;
const INV_LN2: f64 = 1.44269504088896338700e+00;

/**
 * e^x in both lanes: x = k·ln2 + r with |r| ≤ ln2/2 (ln2 in two parts, k·LN2_HI exact), e^r by its
 * Taylor series to r^13 (error < 1e-17 relative) evaluated by Estrin's scheme (a short dependency
 * chain), times 2^k built in the exponent bits. Below −708 it is 0 (e^x < 2^-1021: a float32 or a
 * sum with e^0 never sees it), above 709 +Inf; NaN stays NaN.
 */
@inline
export function exp64x2(x: v128): v128 {
  const k = f64x2.floor(f64x2.add(f64x2.mul(x, f64x2.splat(INV_LN2)), f64x2.splat(0.5)));
  const r = f64x2.sub(f64x2.sub(x, f64x2.mul(k, f64x2.splat(LN2_HI))), f64x2.mul(k, f64x2.splat(LN2_LO)));
  const r2 = f64x2.mul(r, r);
  const r4 = f64x2.mul(r2, r2);
  const r8 = f64x2.mul(r4, r4);
  const p01 = linear(1.0, 1.0, r);
  const p23 = linear(1.0 / 2.0, 1.0 / 6.0, r);
  const p45 = linear(1.0 / 24.0, 1.0 / 120.0, r);
  const p67 = linear(1.0 / 720.0, 1.0 / 5040.0, r);
  const p89 = linear(1.0 / 40320.0, 1.0 / 362880.0, r);
  const p1011 = linear(1.0 / 3628800.0, 1.0 / 39916800.0, r);
  const p1213 = linear(1.0 / 479001600.0, 1.0 / 6227020800.0, r);
  const q0 = f64x2.add(p01, f64x2.mul(p23, r2));
  const q1 = f64x2.add(p45, f64x2.mul(p67, r2));
  const q2 = f64x2.add(p89, f64x2.mul(p1011, r2));
  const s0 = f64x2.add(q0, f64x2.mul(q1, r4));
  const s1 = f64x2.add(q2, f64x2.mul(p1213, r4));
  const p = f64x2.add(s0, f64x2.mul(s1, r8));
  const exponent = i64x2.shl(i64x2.add(i64x2.extend_low_i32x4_s(i32x4.trunc_sat_f64x2_s_zero(k)), i64x2.splat(1023)), 52);
  const y = f64x2.mul(p, exponent);
  const tiny = f64x2.lt(x, f64x2.splat(-708));
  const huge = f64x2.gt(x, f64x2.splat(709));
  return v128.bitselect(f64x2.splat(Infinity), v128.andnot(y, tiny), huge);
}

/** c0 + c1·r in both lanes. */
@inline
function linear(c0: f64, c1: f64, r: v128): v128 {
  return f64x2.add(f64x2.splat(c0), f64x2.mul(f64x2.splat(c1), r));
}

/** e^x, the bits of a lane of exp64x2. */
@inline
export function exp64(x: f64): f64 {
  return f64x2.extract_lane(exp64x2(f64x2.splat(x)), 0);
}

/** log x for x ≥ 1 (a sum of exps, one of them e^0): x = 2^k·m with m in [√½, √2), log m = 2·atanh((m − 1)/(m + 1)) by its series. */
@inline
export function log64(x: f64): f64 {
  if (!(x < Infinity)) return x;
  const bits = reinterpret<u64>(x);
  let k = <i64>((bits >> 52) & 0x7ff) - 1023;
  let m = reinterpret<f64>((bits & 0x000fffffffffffff) | 0x3ff0000000000000);
  if (m > 1.4142135623730951) {
    m *= 0.5;
    k++;
  }
  const s = (m - 1) / (m + 1);
  const s2 = s * s;
  // |s| ≤ 0.1716: the series to s^23 leaves < 1e-18; in t = s², by Estrin's scheme (a short chain).
  const t = s * s;
  const t2 = t * t;
  const t4 = t2 * t2;
  const t8 = t4 * t4;
  const a0 = (1.0 + t * (1.0 / 3.0)) + t2 * (1.0 / 5.0 + t * (1.0 / 7.0));
  const a1 = (1.0 / 9.0 + t * (1.0 / 11.0)) + t2 * (1.0 / 13.0 + t * (1.0 / 15.0));
  const a2 = (1.0 / 17.0 + t * (1.0 / 19.0)) + t2 * (1.0 / 21.0 + t * (1.0 / 23.0));
  const p = (a0 + t4 * a1) + t8 * a2;
  const kf = <f64>k;
  return kf * LN2_HI + (2 * s * p + kf * LN2_LO);
}
