import { CORRECT, exercise } from "../src/index.ts";

/** Binary cross-entropy's gradient written y − σ(z) instead of σ(z) − y. */
export default exercise("bce-sign", {
  lossGradient(type, h, r, batch, s, out) {
    CORRECT.lossGradient(type, h, r, batch, s, out);
    if (type === "bce") out[0] = -out[0]!;
  },
});
