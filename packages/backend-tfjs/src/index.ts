import { checkParamList, type Backend, type Model, type ModelSpec, type OptimizerSpec, type ParamList } from "@crossprop/core";
import { availableEngines, useEngine, type EngineChoice, type EngineName } from "./engine.ts";
import { TfjsModel } from "./model.ts";
import { checkSupported } from "./support.ts";

export { availableEngines, TFJS_NODE_MISSING, type EngineChoice, type EngineName } from "./engine.ts";

export interface TfjsBackendOptions {
  /** auto: tfjs-node if it loads, else wasm, else cpu. */
  engine: EngineChoice;
}

/** The TensorFlow.js reference backend on a chosen engine; `Model.engine` reports what ran. */
export function createTfjsBackend(options: TfjsBackendOptions = { engine: "auto" }): Backend {
  return {
    name: "tfjs",
    async createModel(spec: ModelSpec, initial: ParamList, optimizer: OptimizerSpec): Promise<Model> {
      // Refuse unsupported specs before loading any engine.
      checkSupported(spec, optimizer);
      checkParamList(spec, initial);
      const engine: EngineName = await useEngine(options.engine);
      return TfjsModel.create(engine, spec, initial, optimizer);
    },
  };
}

/** Backend "tfjs" on the fastest engine this machine can load. */
export const tfjsBackend: Backend = createTfjsBackend();
