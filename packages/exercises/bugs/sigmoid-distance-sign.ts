import { CORRECT, exercise } from "../src/index.ts";

/** Notebook 004's loss (y = 1 ? 1 − σ(z) : σ(z)) differentiated with the two cases' signs swapped. */
export default exercise("sigmoid-distance-sign", {
  lossGradient(type, h, r, batch, s, out) {
    CORRECT.lossGradient(type, h, r, batch, s, out);
    if (type === "sigmoid_distance") out[0] = -out[0]!;
  },
});
