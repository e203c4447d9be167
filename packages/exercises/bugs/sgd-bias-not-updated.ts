import { CORRECT, exercise } from "../src/index.ts";

/** The SGD step updates the weights and forgets the biases. */
export default exercise("sgd-bias-not-updated", {
  update: (type, p, g, state, j, context) => (type === "sgd" && context.isBias ? p : CORRECT.update(type, p, g, state, j, context)),
});
