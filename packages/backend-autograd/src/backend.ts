import type { Backend } from "@crossprop/core";
import { AutogradModel } from "./model.ts";
import { supports } from "./supports.ts";

export interface AutogradBackendOptions {
  engine: (typeof supports.engines)[number];
  /** Threads of a kernel engine; absent = every available core. */
  threads?: number | undefined;
}

/** Float32Array tensors with reverse-mode autodiff; the same ModelSpec as every backend. */
export function createAutogradBackend(_options: AutogradBackendOptions = { engine: supports.engines[0] }): Backend {
  return {
    name: "autograd",
    supports,
    async createModel(spec, initial, optimizer) {
      return new AutogradModel(spec, initial, optimizer);
    },
  };
}

/** The autograd backend on its default engine. */
export const autogradBackend: Backend = createAutogradBackend();
