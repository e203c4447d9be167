import { CORRECT, exercise } from "../src/index.ts";

/** ReLU′ taken as 1 everywhere: the gradient flows through units that were switched off (z ≤ 0). */
export default exercise("relu-mask-forgotten", {
  activationBackward: (activation, z, h, dh) => (activation === "relu" ? dh : CORRECT.activationBackward(activation, z, h, dh)),
});
