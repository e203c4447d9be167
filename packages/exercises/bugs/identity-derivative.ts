import { CORRECT, exercise } from "../src/index.ts";

/** The identity's derivative taken as its value z instead of 1 (for a layer without activation). */
export default exercise("identity-derivative", {
  activationBackward: (activation, z, h, dh) => (activation === "identity" ? dh * z : CORRECT.activationBackward(activation, z, h, dh)),
});
