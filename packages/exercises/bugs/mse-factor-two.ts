import { CORRECT, exercise } from "../src/index.ts";

/** The squared error's gradient written as (h − t) instead of 2·(h − t). */
export default exercise("mse-factor-two", {
  lossGradient(type, h, r, batch, s, out) {
    CORRECT.lossGradient(type, h, r, batch, type === "mse" ? s / 2 : s, out);
  },
});
