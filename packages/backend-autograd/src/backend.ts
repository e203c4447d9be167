import type { Backend } from "@crossprop/core";
import { KernelMemory } from "./kernel-memory.ts";
import { AutogradModel } from "./model.ts";
import { supports } from "./supports.ts";

export interface AutogradBackendOptions {
  /** wasm: tensors in @crossprop/kernels' memory, their products and hot loops there (float32; float64 runs typescript); typescript: plain loops. */
  engine: (typeof supports.engines)[number];
  /** Threads of the wasm engine's kernels; absent = every available core. */
  threads?: number | undefined;
}

/** Float32Array tensors with reverse-mode autodiff; the same ModelSpec as every backend. */
export function createAutogradBackend(options: AutogradBackendOptions = { engine: supports.engines[0] }): Backend {
  return {
    name: "autograd",
    supports,
    async createModel(spec, initial, optimizer) {
      if (options.engine === "typescript" || spec.dtype !== "float32") return new AutogradModel(spec, initial, optimizer);
      const { loadKernels } = await import("@crossprop/kernels");
      const { availableParallelism } = await import("node:os");
      const kernels = await loadKernels({ threads: options.threads ?? availableParallelism() });
      return new AutogradModel(spec, initial, optimizer, new KernelMemory(kernels));
    },
  };
}

/** The autograd backend on its default engine. */
export const autogradBackend: Backend = createAutogradBackend();
