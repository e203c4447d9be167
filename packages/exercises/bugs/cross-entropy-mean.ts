import { CORRECT, exercise } from "../src/index.ts";

/** Cross-entropy's softmax − onehot not divided by the batch size, though the loss is the batch mean. */
export default exercise("cross-entropy-mean", {
  lossGradient(type, h, r, batch, s, out) {
    CORRECT.lossGradient(type, h, r, batch, type === "cross_entropy" ? s * batch.size : s, out);
  },
});
