import { CORRECT, exercise } from "../src/index.ts";

/** AdamW's weight decay added to the gradient (Adam's L2 penalty) instead of decaying the weights. */
export default exercise("adamw-as-l2", {
  update: (type, p, g, state, j, context) => CORRECT.update(type === "adamw" ? "adam" : type, p, g, state, j, context),
});
