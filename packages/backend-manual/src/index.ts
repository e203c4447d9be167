import type { Backend } from "@crossprop/core";
import { KernelModel } from "./kernel-model.ts";
import { ManualModel } from "./model.ts";
import { supports } from "./supports.ts";

export interface ManualBackendOptions {
  /** wasm: products in @crossprop/kernels (float32; float64 runs typescript); typescript: the plain loops of model.ts. */
  engine: (typeof supports.engines)[number];
  /** Threads of the wasm engine's kernels; absent = every available core. */
  threads?: number | undefined;
}

/** Hand-written forward and backward passes on typed arrays (float32 or float64), on the chosen engine. */
export function createManualBackend(options: ManualBackendOptions = { engine: supports.engines[0] }): Backend {
  return {
    name: "manual",
    supports,
    async createModel(spec, initial, optimizer) {
      if (options.engine === "typescript" || spec.dtype !== "float32") return new ManualModel(spec, initial, optimizer);
      const { loadKernels } = await import("@crossprop/kernels");
      const { availableParallelism } = await import("node:os");
      return new KernelModel(await loadKernels({ threads: options.threads ?? availableParallelism() }), spec, initial, optimizer);
    },
  };
}

/** The manual backend on its default engine. */
export const manualBackend: Backend = createManualBackend();
