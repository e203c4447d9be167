import { UserError, type Backend, type LossType, type OptimizerType } from "@crossprop/core";
import { AutogradModel } from "./model.ts";

const LOSSES: readonly LossType[] = ["cross_entropy", "mse"];
const OPTIMIZERS: readonly OptimizerType[] = ["sgd"];

/** Float32Array tensors with reverse-mode autodiff; the same ModelSpec as every backend. */
export const autogradBackend: Backend = {
  name: "autograd",
  async createModel(spec, initial, optimizer) {
    if (!OPTIMIZERS.includes(optimizer.type)) throw new UserError(`backend autograd does not support optimizer '${optimizer.type}' yet`);
    if (!LOSSES.includes(spec.loss.type)) throw new UserError(`backend autograd does not support loss '${spec.loss.type}' yet`);
    let width = spec.inputs;
    spec.layers.forEach((layer, i) => {
      if (layer.inputs !== width) throw new UserError(`layer ${i} takes ${layer.inputs} inputs, but the previous layer gives ${width}`);
      width = layer.outputs;
    });
    return new AutogradModel(spec, initial);
  },
};
