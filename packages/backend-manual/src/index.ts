import type { Backend } from "@crossprop/core";
import { ManualModel } from "./model.ts";
import { supports } from "./supports.ts";

/** Hand-written forward and backward passes on typed arrays (float32 or float64). */
export const manualBackend: Backend = {
  name: "manual",
  supports,
  async createModel(spec, initial, optimizer) {
    return new ManualModel(spec, initial, optimizer);
  },
};
