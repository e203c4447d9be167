import { CORRECT, exercise } from "../src/index.ts";

/** Adam without its bias corrections: m and v used as they are, not divided by 1 − βᵗ. */
export default exercise("adam-bias-correction", {
  update(type, p, g, state, j, context) {
    if (type !== "adam") return CORRECT.update(type, p, g, state, j, context);
    const grad = g + context.weightDecay * p;
    const m = context.beta1 * state[j]! + (1 - context.beta1) * grad;
    const v = context.beta2 * state[j + context.stride]! + (1 - context.beta2) * grad * grad;
    state[j] = m;
    state[j + context.stride] = v;
    return p - (context.lr * m) / (Math.sqrt(v) + context.epsilon);
  },
});
