import { fileURLToPath } from "node:url";
import { intermediateShapes, paramShapes, UserError, type Batch, type FloatArray, type LossAndGradients, type Model, type ModelSpec, type ParamList } from "@crossprop/core";

/** A mistake in a user's backend module: what it threw or returned wrong, with its file and line (exit 2). */
export class UserCodeError extends UserError {
  constructor(message: string) {
    super(message, 2);
    this.name = "UserCodeError";
  }
}

const METHODS = ["lossAndGradients", "trainStep", "predict", "getParams", "setParams", "dispose"] as const;

/**
 * The user's model behind the contract, each call checked: a throw becomes "FILE:LINE: METHOD threw:
 * …" (the line of the user's code that threw), and a result of the wrong kind, names, shapes or
 * length — or not finite where a finite value is owed — becomes one line saying what was expected.
 * A wrong but well-formed gradient passes: judging it is check's job (exit 1).
 */
export function guardModel(value: unknown, spec: ModelSpec, label: string, file: string): Model {
  if (typeof value !== "object" || value === null) throw new UserCodeError(`${label}: createModel returned ${typeof value === "object" ? "null" : typeof value}, not a model`);
  const model = value as Partial<Model>;
  for (const method of METHODS) if (typeof model[method] !== "function") throw new UserCodeError(`${label}: the model createModel returned has no ${method} method`);
  const call = async <T>(method: string, run: () => T | Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (error) {
      if (error instanceof UserCodeError) throw error;
      throw new UserCodeError(`${label}${userFrame(error, file) ?? ""}: ${method} threw: ${messageOf(error)}`);
    }
  };
  const params = paramShapes(spec);
  const width = spec.layers.at(-1)!.outputs;
  // The module gets copies: whatever it writes into a batch or a parameter list cannot reach the
  // arrays crossprop hands the other backends (check runs them all on the same batch objects).
  const own = (batch: Batch): Batch => privateBatch(batch);
  const guarded: Model = {
    engine: typeof model.engine === "string" ? model.engine : "user",
    async lossAndGradients(batch: Batch): Promise<LossAndGradients> {
      const result = await call("lossAndGradients", () => model.lossAndGradients!(own(batch)));
      if (typeof result !== "object" || result === null) throw new UserCodeError(`${label}: lossAndGradients returned ${typeof result}, not { loss, gradients }`);
      finiteNumber(result.loss, `${label}: lossAndGradients' loss`);
      checkTensors(result.gradients, params, `${label}: lossAndGradients' gradients`, true);
      return { loss: result.loss, gradients: privateParams(result.gradients) };
    },
    async trainStep(batch: Batch, lr: number): Promise<number> {
      const loss = await call("trainStep", () => model.trainStep!(own(batch), lr));
      // A NaN loss may be a divergence (a too-large rate): the train loop stops it with the step and a hint.
      if (typeof loss !== "number") throw new UserCodeError(`${label}: trainStep returned ${typeof loss}, not the batch's loss (a number)`);
      return loss;
    },
    async predict(inputs: FloatArray, count: number): Promise<FloatArray> {
      const outputs = await call("predict", () => model.predict!(inputs.slice(), count));
      checkArray(outputs, count * width, `${label}: predict's outputs for ${count} rows`, false);
      return outputs.slice();
    },
    async getParams(): Promise<ParamList> {
      const result = await call("getParams", () => model.getParams!());
      checkTensors(result, params, `${label}: getParams`, false);
      return privateParams(result);
    },
    async setParams(values: ParamList): Promise<void> {
      await call("setParams", () => model.setParams!(privateParams(values)));
    },
    dispose(): void {
      try {
        model.dispose!();
      } catch {
        // Nothing is owed after dispose: a throw there loses no result, so it is not reported.
      }
    },
  };
  if (typeof model.intermediates === "function") {
    guarded.intermediates = async (batch: Batch) => {
      const result = await call("intermediates", () => model.intermediates!(own(batch)));
      checkTensors(result, intermediateShapes(spec, batch.size), `${label}: intermediates`, true);
      return privateParams(result);
    };
  }
  return guarded;
}

/** A batch whose arrays are the module's own (pixels, when present, copied too). */
function privateBatch(batch: Batch): Batch {
  const { pixels } = batch;
  return {
    size: batch.size,
    inputs: batch.inputs.slice(),
    labels: batch.labels?.slice() ?? null,
    targets: batch.targets?.slice() ?? null,
    ...(pixels ? { pixels: { bytes: pixels.bytes.slice(), scale: pixels.scale.slice() } } : {}),
  };
}

/** Copies of a parameter list, for a module that might keep or change what it is given. */
export function privateParams(params: ParamList): ParamList {
  return params.map((p) => ({ name: p.name, shape: [...p.shape], data: p.data.slice() }));
}

/** The names, shapes and lengths `expected` lists, in its order; `finite`: every value finite. */
function checkTensors(value: unknown, expected: readonly { name: string; shape: readonly number[] }[], what: string, finite: boolean): void {
  if (!Array.isArray(value)) throw new UserCodeError(`${what}: expected a list of ${expected.length} tensors ({ name, shape, data }), got ${value === null ? "null" : typeof value}`);
  const names = expected.map((e) => e.name);
  if (value.length !== expected.length || value.some((t, i) => (t as { name?: unknown })?.name !== names[i])) {
    const got = value.map((t) => String((t as { name?: unknown })?.name)).join(", ");
    throw new UserCodeError(`${what}: expected the tensors ${names.join(", ")} in that order, got ${got || "none"}`);
  }
  value.forEach((tensor: { shape?: unknown; data?: unknown }, i) => {
    const want = expected[i]!;
    const shape = Array.isArray(tensor.shape) ? tensor.shape.join("×") : String(tensor.shape);
    if (shape !== want.shape.join("×")) throw new UserCodeError(`${what}: ${want.name} has shape [${shape}], expected [${want.shape.join("×")}]`);
    checkArray(tensor.data, want.shape.reduce((a, b) => a * b, 1), `${what}: ${want.name}`, finite);
  });
}

function checkArray(value: unknown, length: number, what: string, finite: boolean): asserts value is FloatArray {
  if (!(value instanceof Float32Array || value instanceof Float64Array)) throw new UserCodeError(`${what}: expected a Float32Array or Float64Array, got ${value === null ? "null" : Array.isArray(value) ? "an Array" : typeof value}`);
  if (value.length !== length) throw new UserCodeError(`${what}: ${value.length} values, expected ${length}`);
  if (!finite) return;
  const bad = value.findIndex((x) => !Number.isFinite(x));
  if (bad >= 0) throw new UserCodeError(`${what}: element ${bad} is ${value[bad]}, not a finite number`);
}

function finiteNumber(value: unknown, what: string): void {
  if (typeof value !== "number") throw new UserCodeError(`${what} is ${typeof value}, not a number`);
  if (!Number.isFinite(value)) throw new UserCodeError(`${what} is ${value}, not a finite number`);
}

function messageOf(error: unknown): string {
  const text = error instanceof Error ? `${error.name === "Error" ? "" : `${error.name}: `}${error.message}` : String(error);
  return text.split("\n")[0]!.trim();
}

/**
 * `:LINE:COL` of the first frame of `error`'s stack that lies in the user's `file` (a file URL or a
 * path; tsx maps TypeScript back to the source lines), or null when none does.
 */
export function userFrame(error: unknown, file: string): string | null {
  const stack = error instanceof Error ? (error.stack ?? "") : "";
  for (const line of stack.split("\n")) {
    const match = /((?:file:\/\/)?\/[^\s():]+):(\d+):(\d+)/.exec(line);
    if (!match) continue;
    const path = match[1]!.startsWith("file://") ? fileURLToPath(match[1]!) : match[1]!;
    if (path === file) return `:${match[2]}:${match[3]}`;
  }
  // A syntax error names the file in its message instead (esbuild: "FILE:LINE:COL: ERROR: …").
  const message = error instanceof Error ? error.message : "";
  const inMessage = new RegExp(`${escapeRegExp(file)}:(\\d+):(\\d+)`).exec(message);
  return inMessage ? `:${inMessage[1]}:${inMessage[2]}` : null;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
