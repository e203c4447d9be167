import { CORRECT, exercise } from "../src/index.ts";

/** tanh′ written as 1 − h instead of 1 − h². */
export default exercise("tanh-derivative", {
  activationBackward: (activation, z, h, dh) => (activation === "tanh" ? dh * (1 - h) : CORRECT.activationBackward(activation, z, h, dh)),
});
