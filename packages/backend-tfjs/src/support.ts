import { UserError, type ModelSpec, type OptimizerSpec } from "@crossprop/core";

/** What backend tfjs implements; anything else (a hand-built spec) is refused up front with a UserError. */
export const SUPPORTED_LOSSES = ["cross_entropy", "mse", "sigmoid_distance", "bce"] as const;
export const SUPPORTED_OPTIMIZERS = ["sgd", "momentum", "adam", "adamw"] as const;

export function checkSupported(spec: ModelSpec, optimizer: OptimizerSpec): void {
  if (spec.dtype !== "float32") {
    throw new UserError(
      `backend tfjs cannot train in dtype ${spec.dtype}: TensorFlow.js has no float64 on its node, wasm and cpu engines; use dtype float32`,
      2,
      "dtype",
    );
  }
  if (!(SUPPORTED_LOSSES as readonly string[]).includes(spec.loss.type)) {
    throw new UserError(`backend tfjs does not support loss ${spec.loss.type} (supported: ${SUPPORTED_LOSSES.join(", ")})`, 2, "loss.type");
  }
  if (!(SUPPORTED_OPTIMIZERS as readonly string[]).includes(optimizer.type)) {
    throw new UserError(
      `backend tfjs does not support optimizer ${optimizer.type} (supported: ${SUPPORTED_OPTIMIZERS.join(", ")})`,
      2,
      "optimizer.type",
    );
  }
  checkCoefficients(optimizer);
  let width = spec.inputs;
  spec.layers.forEach((layer, i) => {
    if (layer.inputs !== width) {
      throw new UserError(`layer ${i} takes ${layer.inputs} inputs but receives ${width}`);
    }
    width = layer.outputs;
  });
  // Both read one logit per row: a wider last layer would leave its other columns out of the loss.
  if ((spec.loss.type === "sigmoid_distance" || spec.loss.type === "bce") && width !== 1) {
    throw new UserError(`loss ${spec.loss.type} needs a last layer of exactly 1 output (one logit per row), got ${width} outputs`, 2, "loss.type");
  }
}

/** The config schema's bounds, for specs built by hand: outside them tfjs would train on NaNs. */
function checkCoefficients(optimizer: OptimizerSpec): void {
  const { type, momentum, beta1, beta2, epsilon, weightDecay } = optimizer;
  // `field` is the config's name (weight_decay), for the error's path.
  const check = (field: string, value: number, inRange: boolean, range: string) => {
    if (!Number.isFinite(value) || !inRange) throw new UserError(`optimizer ${type}: ${field} must be ${range}, got ${value}`, 2, `optimizer.${field}`);
  };
  check("weight_decay", weightDecay, weightDecay >= 0, "≥ 0");
  if (type === "momentum") check("momentum", momentum, momentum >= 0 && momentum < 1, "in [0, 1)");
  if (type === "adam" || type === "adamw") {
    check("beta1", beta1, beta1 >= 0 && beta1 < 1, "in [0, 1)");
    check("beta2", beta2, beta2 >= 0 && beta2 < 1, "in [0, 1)");
    check("epsilon", epsilon, epsilon > 0, "> 0");
  }
}

