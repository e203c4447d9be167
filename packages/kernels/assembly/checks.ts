// Small single-threaded loops the JavaScript side of a step would otherwise run itself (and have
// V8 compile during the first epoch): checking a batch's labels, checking a byte table, summing.

/** The first row r < rows whose label is outside [0, classes), or -1 when every label is inside. */
export function firstBadLabel(labels: usize, rows: i32, classes: i32): i32 {
  for (let r = 0; r < rows; r++) {
    const label = load<i32>(labels + (<usize>r << 2));
    if (label < 0 || label >= classes) return r;
  }
  return -1;
}

/** How many of table[1..255] (f32) are zero (±0): a table with none lets every nonzero byte be stored. */
export function zerosPastFirst(table: usize): i32 {
  let zeros = 0;
  for (let byte = 1; byte < 256; byte++) zeros += i32(load<f32>(table + (<usize>byte << 2)) == 0);
  return zeros;
}

/** Σ values[i] over i ascending from 0, in float64 from +0. */
export function sumFloat64(values: usize, count: i32): f64 {
  let total: f64 = 0;
  for (let i = 0; i < count; i++) total += load<f64>(values + (<usize>i << 3));
  return total;
}
