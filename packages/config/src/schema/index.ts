import { BACKEND_NAMES, BACKEND_OPTION_SCHEMAS, DEFAULT_BACKEND } from "@crossprop/backends";
import { ALL_DTYPES } from "@crossprop/core";
import type { FromSchema } from "json-schema-to-ts";
import { checkSchema } from "./check.ts";
import { dataSchema } from "./data.ts";
import { expectSchema } from "./expect.ts";
import { lossSchema } from "./loss.ts";
import { modelSchema } from "./model.ts";
import { optimizerSchema } from "./optimizer.ts";
import { sweepSchema } from "./sweep.ts";
import { trainingSchema } from "./training.ts";

/**
 * The one declaration of every config field: type, default, bounds, one-line description, one
 * file per section. Types (`Config`), validation (ajv), the editor schema
 * (schema/crossprop.schema.json) and the README table are all derived from this object; the
 * backend names and each backend's settings section come from the backend registry. Nullable
 * fields use a type array (not anyOf) so ajv reports a single error per bad value; variants are
 * string enums so `useDefaults` works.
 */
export const configSchema = {
  $schema: "http://json-schema.org/draft-07/schema#",
  title: "crossprop experiment config",
  description: "One MNIST training experiment: data, model, loss, optimizer, training loop, expectations.",
  type: "object",
  additionalProperties: false,
  required: ["name"],
  properties: {
    name: {
      type: "string",
      pattern: "^[A-Za-z0-9][A-Za-z0-9._-]*$",
      description: "Experiment name; used in run directory names, so letters, digits, '.', '_' and '-' only.",
    },
    seed: {
      type: "integer",
      minimum: 0,
      maximum: Number.MAX_SAFE_INTEGER,
      default: 0,
      description: "Seeds init, data split and batch order.",
    },
    backend: {
      type: "string",
      enum: BACKEND_NAMES,
      default: DEFAULT_BACKEND,
      description: "Which backend computes forward and backward passes.",
    },
    dtype: { type: "string", enum: ALL_DTYPES, default: "float32", description: "Floating-point type of parameters and activations." },
    data: dataSchema,
    model: modelSchema,
    loss: lossSchema,
    optimizer: optimizerSchema,
    training: trainingSchema,
    ...BACKEND_OPTION_SCHEMAS,
    check: checkSchema,
    expect: expectSchema,
    sweep: sweepSchema,
  },
} as const;

/** A validated config: every defaulted field is present, because ajv fills defaults. */
export type Config = FromSchema<typeof configSchema>;

/** The text of schema/crossprop.schema.json, the file editors read. */
export function schemaJson(): string {
  return JSON.stringify(configSchema, null, 2) + "\n";
}
