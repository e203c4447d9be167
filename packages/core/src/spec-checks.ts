import { UserError } from "./errors.ts";
import type { LayerSpec, ModelSpec, OptimizerSpec } from "./model-spec.ts";
import type { BackendSupport } from "./support.ts";

/** One thing wrong with a spec, at the config path the user would change. */
export interface SpecIssue {
  path: string;
  message: string;
}

/** Every issue of a spec, as one UserError; the CLI points each path at its YAML line. */
export class SpecError extends UserError {
  constructor(readonly issues: readonly SpecIssue[]) {
    super(issues.map((issue) => `${issue.path}: ${issue.message}`).join("\n"), 2, issues[0]?.path);
    this.name = "SpecError";
  }
}

/** The config path of layer `l`'s width: a hidden layer's entry in model.hidden, or the output layer. */
function widthPath(spec: ModelSpec, l: number): string {
  return l < spec.layers.length - 1 ? `model.hidden.${l}` : "model";
}

function activationPath(spec: ModelSpec, l: number): string {
  return l < spec.layers.length - 1 ? "model.activation" : "model.output_activation";
}

const positiveInteger = (value: number) => Number.isInteger(value) && value >= 1;

/**
 * What must hold of any spec, whoever built it: layers chain from the inputs, widths are positive
 * integers, a one-output loss has one output, the optimizer's coefficients are inside the config
 * schema's bounds (outside them a backend would train on NaNs).
 */
export function specIssues(spec: ModelSpec, optimizer: OptimizerSpec): SpecIssue[] {
  const issues: SpecIssue[] = [];
  if (!positiveInteger(spec.inputs)) issues.push({ path: "data", message: `the model needs a positive integer number of inputs, got ${spec.inputs}` });
  if (spec.layers.length === 0) issues.push({ path: "model", message: "the model needs at least one layer" });
  let width = spec.inputs;
  spec.layers.forEach((layer: LayerSpec, l) => {
    if (layer.inputs !== width) issues.push({ path: widthPath(spec, l), message: `layer ${l} takes ${layer.inputs} inputs but receives ${width}` });
    if (!positiveInteger(layer.outputs)) issues.push({ path: widthPath(spec, l), message: `expected a positive integer width, got ${layer.outputs}` });
    width = layer.outputs;
  });
  const { type, reduction, scale } = spec.loss;
  if (reduction !== "mean" && reduction !== "sum") issues.push({ path: "loss.reduction", message: `expected mean or sum, got ${String(reduction)}` });
  if (scale !== undefined && !(Number.isFinite(scale) && scale > 0)) issues.push({ path: "loss.scale", message: `expected a finite number > 0, got ${scale}` });
  // Both read one logit per row: a wider last layer would silently ignore its other columns.
  if ((type === "sigmoid_distance" || type === "bce") && spec.layers.length > 0 && width !== 1) {
    issues.push({ path: "loss.type", message: `${type} needs a last layer of exactly 1 output (one logit per row), got ${width} outputs` });
  }
  const coefficient = (field: string, value: number, inRange: boolean, range: string) => {
    if (!Number.isFinite(value) || !inRange) issues.push({ path: `optimizer.${field}`, message: `expected a number ${range} for optimizer ${optimizer.type}, got ${value}` });
  };
  coefficient("weight_decay", optimizer.weightDecay, optimizer.weightDecay >= 0, "≥ 0");
  if (optimizer.type === "momentum") coefficient("momentum", optimizer.momentum, optimizer.momentum >= 0 && optimizer.momentum < 1, "in [0, 1)");
  if (optimizer.type === "adam" || optimizer.type === "adamw") {
    coefficient("beta1", optimizer.beta1, optimizer.beta1 >= 0 && optimizer.beta1 < 1, "in [0, 1)");
    coefficient("beta2", optimizer.beta2, optimizer.beta2 >= 0 && optimizer.beta2 < 1, "in [0, 1)");
    coefficient("epsilon", optimizer.epsilon, optimizer.epsilon > 0, "> 0");
  }
  return issues;
}

/** What `backend` does not compute of this spec, by its declared support. */
export function supportIssues(backend: string, support: BackendSupport, spec: ModelSpec, optimizer: OptimizerSpec): SpecIssue[] {
  const issues: SpecIssue[] = [];
  const refuse = (path: string, what: string, value: string, supported: readonly string[]) =>
    issues.push({ path, message: `backend ${backend} does not support ${what} ${value} (supported: ${supported.join(", ")})` });
  if (!support.dtypes.includes(spec.dtype)) refuse("dtype", "dtype", String(spec.dtype), support.dtypes);
  const seen = new Set<string>();
  spec.layers.forEach((layer, l) => {
    const path = activationPath(spec, l);
    if (support.activations.includes(layer.activation) || seen.has(path)) return;
    seen.add(path);
    refuse(path, "activation", String(layer.activation), support.activations);
  });
  if (!support.losses.includes(spec.loss.type)) refuse("loss.type", "loss", String(spec.loss.type), support.losses);
  if (!support.optimizers.includes(optimizer.type)) refuse("optimizer.type", "optimizer", String(optimizer.type), support.optimizers);
  return issues;
}

/**
 * Throws a SpecError listing every issue of `spec` and `optimizer`, and everything `backend` (by
 * its declared support) does not compute of them. Called once, before any backend is created.
 */
export function checkSpec(spec: ModelSpec, optimizer: OptimizerSpec, backends: readonly { name: string; supports: BackendSupport }[] = []): void {
  const issues = [...specIssues(spec, optimizer), ...backends.flatMap((b) => supportIssues(b.name, b.supports, spec, optimizer))];
  if (issues.length > 0) throw new SpecError(issues);
}
