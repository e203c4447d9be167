import { CORRECT, exercise } from "../src/index.ts";

/** Momentum as an average, v ← μ·v + (1 − μ)·g, where torch (and the config's momentum) means v ← μ·v + g. */
export default exercise("momentum-dampening", {
  update(type, p, g, state, j, context) {
    if (type !== "momentum") return CORRECT.update(type, p, g, state, j, context);
    const v = context.momentum * state[j]! + (1 - context.momentum) * (g + context.weightDecay * p);
    state[j] = v;
    return p - context.lr * v;
  },
});
