// Softmax cross-entropy of logits [rows×classes] against integer labels, in float64 as the
// TypeScript engines compute it (packages/backend-manual/src/cross-entropy.ts), on one thread:
//   L_r = log Σ_c exp(z_rc − m_r) + m_r − z_r,y  with m_r = max_c z_rc (no exp overflows),
//   returns factor·Σ_r L_r (r ascending) and adds factor·(softmax(z_r) − onehot(y_r)) into grad,
//   each element's sum rounded to f32 once. exp and log are math.ts's, accurate to about one unit
//   in the last place of a double, so a bit can differ from V8's Math.exp there.
// Labels must already be checked to lie in [0, classes); `exps` is scratch for `classes` f64.

import { exp64, exp64x2, log64 } from "./math";

export function softmaxCrossEntropy(logits: usize, labels: usize, rows: i32, classes: i32, factor: f64, grad: usize, exps: usize): f64 {
  let total: f64 = 0;
  for (let r = 0; r < rows; r++) {
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
    total += log64(sumExp) + max - <f64>load<f32>(row + (<usize>label << 2));
    const scale = factor / sumExp;
    for (let c = 0; c < classes; c++) {
      const p = g + (<usize>c << 2);
      store<f32>(p, <f32>(<f64>load<f32>(p) + scale * load<f64>(exps + (<usize>c << 3))));
    }
    const p = g + (<usize>label << 2);
    store<f32>(p, <f32>(<f64>load<f32>(p) - factor));
  }
  return total * factor;
}
