import { checkParamList, type Backend, type Model, type ModelSpec, type OptimizerSpec, type ParamList } from "@crossprop/core";
import { useEngine, type EngineChoice, type EngineName } from "./engine.ts";
import { TfjsModel } from "./model.ts";
import { supports } from "./supports.ts";

export { availableEngines } from "./engine.ts";

interface TfjsBackendOptions {
  /** auto: tfjs-node if it loads, else wasm, else cpu. */
  engine: EngineChoice;
}

/** The TensorFlow.js reference backend on a chosen engine; `Model.engine` reports what ran. */
export function createTfjsBackend(options: TfjsBackendOptions = { engine: supports.engines[0] }): Backend {
  return {
    name: "tfjs",
    supports,
    async createModel(spec: ModelSpec, initial: ParamList, optimizer: OptimizerSpec): Promise<Model> {
      // Refuse parameters that are not the spec's before loading any engine.
      checkParamList(spec, initial);
      const engine: EngineName = await useEngine(options.engine);
      return TfjsModel.create(engine, spec, initial, optimizer);
    },
  };
}
