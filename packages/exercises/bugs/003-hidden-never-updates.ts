import { exercise } from "../src/index.ts";

/**
 * Notebook 003's backward loop: a `return` inside the loop over the layers ends the backward pass
 * after the output layer, so no gradient reaches the hidden layers and they never update (54%).
 */
export default exercise("003-hidden-never-updates", { throughHiddenLayers: false });
