import { CORRECT, exercise } from "../src/index.ts";

/** σ′ written as σ(z), the (1 − σ(z)) forgotten. */
export default exercise("sigmoid-derivative", {
  activationBackward: (activation, z, h, dh) => (activation === "sigmoid" ? dh * h : CORRECT.activationBackward(activation, z, h, dh)),
});
