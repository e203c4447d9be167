import { paramShapes, UserError, type ModelSpec, type OptimizerSpec, type ParamList } from "@crossprop/core";

/** What backend tfjs implements today; everything else is refused up front with a UserError. */
export const SUPPORTED_LOSSES = ["cross_entropy", "mse"] as const;
export const SUPPORTED_OPTIMIZERS = ["sgd"] as const;

export function checkSupported(spec: ModelSpec, optimizer: OptimizerSpec): void {
  if (spec.dtype !== "float32") {
    throw new UserError(
      `backend tfjs cannot train in dtype ${spec.dtype}: TensorFlow.js has no float64 on its node, wasm and cpu engines; use dtype float32`,
      2,
      "dtype",
    );
  }
  if (!(SUPPORTED_LOSSES as readonly string[]).includes(spec.loss.type)) {
    throw new UserError(`backend tfjs does not support loss ${spec.loss.type} yet (supported: ${SUPPORTED_LOSSES.join(", ")})`, 2, "loss.type");
  }
  if (!(SUPPORTED_OPTIMIZERS as readonly string[]).includes(optimizer.type)) {
    throw new UserError(
      `backend tfjs does not support optimizer ${optimizer.type} yet (supported: ${SUPPORTED_OPTIMIZERS.join(", ")})`,
      2,
      "optimizer.type",
    );
  }
  let width = spec.inputs;
  spec.layers.forEach((layer, i) => {
    if (layer.inputs !== width) {
      throw new UserError(`layer ${i} takes ${layer.inputs} inputs but receives ${width}`);
    }
    width = layer.outputs;
  });
}

/** The parameters must be exactly the spec's, by name, shape and order. */
export function checkParams(spec: ModelSpec, params: ParamList): void {
  const expected = paramShapes(spec);
  if (params.length !== expected.length) {
    throw new UserError(`expected ${expected.length} parameters (${expected.map((p) => p.name).join(", ")}), got ${params.length}`);
  }
  expected.forEach((want, i) => {
    const got = params[i]!;
    const size = want.shape.reduce((a, b) => a * b, 1);
    if (got.name !== want.name || got.shape.join(",") !== want.shape.join(",") || got.data.length !== size) {
      throw new UserError(
        `parameter ${i} should be ${want.name} [${want.shape.join(", ")}], got ${got.name} [${got.shape.join(", ")}] with ${got.data.length} values`,
      );
    }
  });
}
