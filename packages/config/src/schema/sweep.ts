/** sweep: makes a config a sweep of trials. */

import { thresholdSchema } from "./expect.ts";

/**
 * One dimension of a random search, as a string-enum variant: `type` says whether `values`
 * (choice) or `low`/`high` (uniform, log_uniform, int) are read; sweep/section.ts checks the pairing.
 */
const randomParamSchema = {
  type: "object",
  description: "How one dotted path is drawn, e.g. {type: log_uniform, low: 0.001, high: 1}.",
  additionalProperties: false,
  required: ["type"],
  properties: {
    type: {
      type: "string",
      enum: ["choice", "uniform", "log_uniform", "int"],
      description: "choice: one of values, equally likely; uniform: a number in [low, high); log_uniform: exp(uniform(ln low, ln high)); int: an integer in [low, high].",
    },
    values: { type: "array", minItems: 1, description: "For choice: the values to pick from (any YAML: numbers, strings, lists)." },
    low: { type: "number", description: "For uniform, log_uniform (> 0) and int: the lower end." },
    high: { type: "number", description: "For uniform, log_uniform and int: the upper end (included by int)." },
  },
} as const;

export const sweepSchema = {
  type: "object",
  description: "Makes this config a sweep for `crossprop sweep`: trials are this config with each combination of values applied as --set overrides; absent = not a sweep.",
  additionalProperties: false,
  properties: {
    grid: {
      type: "object",
      description: "Dotted path → list of values (e.g. optimizer.lr: [0.1, 0.5]); every combination is a trial, the last path varying fastest.",
      default: {},
      additionalProperties: { type: "array", minItems: 1, uniqueItems: true },
    },
    random: {
      type: "object",
      description: "Random search: `trials` draws of `params` from `seed`; with a grid, every grid point runs every draw.",
      additionalProperties: false,
      required: ["trials", "params"],
      properties: {
        trials: { type: "integer", minimum: 1, description: "How many parameter sets to draw (identical draws run once)." },
        seed: { type: "integer", minimum: 0, maximum: Number.MAX_SAFE_INTEGER, default: 0, description: "Seeds the draws; the same seed gives the same plan." },
        params: {
          type: "object",
          description: "Dotted path → how its value is drawn (at least one).",
          additionalProperties: randomParamSchema,
        },
      },
    },
    metric: {
      type: "string",
      enum: ["valid_accuracy", "valid_loss", "train_loss"],
      default: "valid_accuracy",
      description: "The final metric trials are ranked by.",
    },
    goal: { type: "string", enum: ["max", "min"], default: "max", description: "Whether the best trial has the largest (max) or smallest (min) metric." },
    expect_best: {
      type: "object",
      description: "Bounds on the best trial's final metrics; the sweep fails if it falls outside (expect: still applies to every trial).",
      default: {},
      additionalProperties: false,
      properties: {
        valid_accuracy: thresholdSchema("validation accuracy of the best trial"),
        valid_loss: thresholdSchema("validation loss of the best trial"),
        train_loss: thresholdSchema("training loss of the best trial"),
      },
    },
  },
} as const;
