import { UserError, type Backend } from "@crossprop/core";
import { AutogradModel } from "./model.ts";
import { checkOptimizer } from "./optimizer.ts";
import { checkLoss } from "./spec-loss.ts";

/** Float32Array tensors with reverse-mode autodiff; the same ModelSpec as every backend. */
export const autogradBackend: Backend = {
  name: "autograd",
  async createModel(spec, initial, optimizer) {
    checkOptimizer(optimizer);
    checkLoss(spec);
    let width = spec.inputs;
    spec.layers.forEach((layer, i) => {
      if (layer.inputs !== width) throw new UserError(`layer ${i} takes ${layer.inputs} inputs, but the previous layer gives ${width}`);
      width = layer.outputs;
    });
    return new AutogradModel(spec, initial, optimizer);
  },
};
