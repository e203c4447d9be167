import { CORRECT, exercise } from "../src/index.ts";

/**
 * Notebook 001's ReLU: `self.input_grad = jacobian * self.ans` multiplies ReLU′(z) by the layer's
 * own output h instead of the gradient that arrives from above, dL/dh.
 */
export default exercise("001-relu-backward", {
  activationBackward: (activation, z, h, dh) => (activation === "relu" ? (z > 0 ? h : 0) : CORRECT.activationBackward(activation, z, h, dh)),
});
