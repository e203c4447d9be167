import type { Backend } from "@crossprop/core";
import { AutogradModel } from "./model.ts";
import { supports } from "./supports.ts";

/** Float32Array tensors with reverse-mode autodiff; the same ModelSpec as every backend. */
export const autogradBackend: Backend = {
  name: "autograd",
  supports,
  async createModel(spec, initial, optimizer) {
    return new AutogradModel(spec, initial, optimizer);
  },
};
