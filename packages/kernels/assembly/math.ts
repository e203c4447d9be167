// exp and log in float64 without tables (the module keeps no static data in the shared memory):
// a range reduction and a polynomial each, accurate to about one unit in the last place of a double.

const LN2_HI: f64 = 6.93147180369123816490e-01;
const LN2_LO: f64 = 1.90821492927058770002e-10;
const INV_LN2: f64 = 1.44269504088896338700e+00;

/** e^x: x = k·ln2 + r with |r| ≤ ln2/2 (ln2 in two parts), e^r by its Taylor series to r^13 (error < 1e-17 relative), times 2^k. */
@inline
export function exp64(x: f64): f64 {
  if (x != x) return x;
  if (x < -708) return 0;
  if (x > 709) return Infinity;
  const k = Math.floor(x * INV_LN2 + 0.5);
  const r = (x - k * LN2_HI) - k * LN2_LO;
  let p: f64 = 1.0 / 6227020800.0;
  p = p * r + 1.0 / 479001600.0;
  p = p * r + 1.0 / 39916800.0;
  p = p * r + 1.0 / 3628800.0;
  p = p * r + 1.0 / 362880.0;
  p = p * r + 1.0 / 40320.0;
  p = p * r + 1.0 / 5040.0;
  p = p * r + 1.0 / 720.0;
  p = p * r + 1.0 / 120.0;
  p = p * r + 1.0 / 24.0;
  p = p * r + 1.0 / 6.0;
  p = p * r + 0.5;
  p = p * r + 1.0;
  p = p * r + 1.0;
  // 2^k for k in [-1022, 1023] (|x| ≤ 709 keeps it there), built in the exponent bits.
  return p * reinterpret<f64>(<u64>(<i64>k + 1023) << 52);
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
  // |s| ≤ 0.1716: the series to s^23 leaves < 1e-18.
  let p: f64 = 1.0 / 23.0;
  p = p * s2 + 1.0 / 21.0;
  p = p * s2 + 1.0 / 19.0;
  p = p * s2 + 1.0 / 17.0;
  p = p * s2 + 1.0 / 15.0;
  p = p * s2 + 1.0 / 13.0;
  p = p * s2 + 1.0 / 11.0;
  p = p * s2 + 1.0 / 9.0;
  p = p * s2 + 1.0 / 7.0;
  p = p * s2 + 1.0 / 5.0;
  p = p * s2 + 1.0 / 3.0;
  p = p * s2 + 1.0;
  const kf = <f64>k;
  return kf * LN2_HI + (2 * s * p + kf * LN2_LO);
}
