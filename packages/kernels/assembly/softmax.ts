// Softmax cross-entropy of logits [rows×classes] against integer labels, in float64 as the
// TypeScript engines compute it (packages/backend-manual/src/cross-entropy.ts):
//   L_r = log Σ_c exp(z_rc − m_r) + m_r − z_r,y  with m_r = max_c z_rc (no exp overflows),
//   the loss is factor·Σ_r L_r (r ascending), and factor·(softmax(z_r) − onehot(y_r)) is added
//   into grad, each element's sum rounded to f32 once. exp and log are math.ts's, accurate to about
//   one unit in the last place of a double, so a bit can differ from V8's Math.exp there.
// Labels must already be checked to lie in [0, classes). softmaxCrossEntropy runs on one thread;
// softmaxRows is its task form for ranges of rows on any threads: it leaves each L_r in `losses`
// (f64) for the caller to sum in row order, which gives softmaxCrossEntropy's bits.

import { exp64, exp64x2, log64 } from "./math";

/** The loss over all rows, on this thread; `exps` is scratch for `classes` f64. */
export function softmaxCrossEntropy(logits: usize, labels: usize, rows: i32, classes: i32, factor: f64, grad: usize, exps: usize): f64 {
  let total: f64 = 0;
  for (let r = 0; r < rows; r++) total += rowLoss(logits, labels, r, classes, factor, grad, exps);
  return total * factor;
}

/**
 * Rows [begin, end): L_r into losses[r] and row r's gradient into grad. The f64 factor comes as its
 * two 32-bit halves (a task's arguments are words); `exps` is scratch for `classes` f64 per row
 * (row r's at r·classes).
 */
export function softmaxRows(
  logits: usize, labels: usize, classes: i32, factorLow: u32, factorHigh: u32, grad: usize, exps: usize, losses: usize, begin: i32, end: i32,
): void {
  const factor = reinterpret<f64>((<u64>factorHigh << 32) | <u64>factorLow);
  for (let r = begin; r < end; r++) {
    store<f64>(losses + (<usize>r << 3), rowLoss(logits, labels, r, classes, factor, grad, exps + ((<usize>r * <usize>classes) << 3)));
  }
}

/** L_r, and factor·(softmax(z_r) − onehot(y_r)) added into row r of grad. */
@inline
function rowLoss(logits: usize, labels: usize, r: i32, classes: i32, factor: f64, grad: usize, exps: usize): f64 {
  const row = logits + ((<usize>r * <usize>classes) << 2);
  const g = grad + ((<usize>r * <usize>classes) << 2);
  let max: f64 = -Infinity;
  for (let c = 0; c < classes; c++) {
    const z = <f64>load<f32>(row + (<usize>c << 2));
    if (z > max) max = z;
  }
  // Two classes at a time, then the last one alone (the same bits per lane); summed in class order.
  const shift = f64x2.splat(max);
  let c = 0;
  for (; c + 2 <= classes; c += 2) {
    const z = f64x2.promote_low_f32x4(v128.load64_zero(row + (<usize>c << 2)));
    v128.store(exps + (<usize>c << 3), exp64x2(f64x2.sub(z, shift)));
  }
  if (c < classes) store<f64>(exps + (<usize>c << 3), exp64(<f64>load<f32>(row + (<usize>c << 2)) - max));
  let sumExp: f64 = 0;
  for (c = 0; c < classes; c++) sumExp += load<f64>(exps + (<usize>c << 3));
  const label = load<i32>(labels + (<usize>r << 2));
  const loss = log64(sumExp) + max - <f64>load<f32>(row + (<usize>label << 2));
  const scale = factor / sumExp;
  for (let c = 0; c < classes; c++) {
    const p = g + (<usize>c << 2);
    store<f32>(p, <f32>(<f64>load<f32>(p) + scale * load<f64>(exps + (<usize>c << 3))));
  }
  const p = g + (<usize>label << 2);
  store<f32>(p, <f32>(<f64>load<f32>(p) - factor));
  return loss;
}
